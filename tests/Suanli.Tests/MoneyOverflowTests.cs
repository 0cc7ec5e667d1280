using FsCheck;
using FsCheck.Fluent;
using Suanli.Quantities;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// A price times an absurd quantity (a rent over 10^22 device-hours) is an input error naming the price's field, never
/// the decimal type's OverflowException (which the web answered with a 500 and the CLI with an internal error).
/// </summary>
public class MoneyOverflowTests
{
    [Fact]
    public void A_rent_times_device_hours_past_any_budget_names_the_rent_field_and_the_product()
    {
        var rent = new Money(1_000_000_000m, Currency.Usd);
        var ex = Assert.Throws<InputException>(() => rent.Times(2.83e22, FieldNames.RentPerHour));
        Assert.Equal("money-product-beyond-budget", ex.Text?.Key);
        Assert.Equal(FieldNames.RentPerHour, ex.FieldId);
        // 1e9 x 2.83e22 = 2.83e31, past the 7.9e27 an amount may reach (a tenth of decimal's 7.9e28).
        Assert.Contains("2.83e31 USD", ex.Message, StringComparison.Ordinal);
        Assert.Contains("7.9e27", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tiny_price_times_a_factor_past_the_decimal_range_is_still_priced()
    {
        // 1e-6 USD per token x 1e30 tokens = 1e24 USD: in range although the factor alone is not a decimal.
        var priced = new Money(0.000001m, Currency.Usd).Times(1e30);
        Assert.Equal(1e24, (double)priced.Amount, 1e24 * 1e-12);
    }

    [Fact]
    public void A_decimal_scale_past_the_range_is_the_same_input_error()
    {
        var price = new Money(7e27m, Currency.Cny);
        var ex = Assert.Throws<InputException>(() => price * 100m);
        Assert.Equal("money-product-beyond-budget", ex.Text?.Key);
    }

    [Fact]
    public void Any_finite_price_times_any_finite_factor_is_the_product_or_the_budget_error()
    {
        var cases = from cents in Gen.Choose(0, 100_000_000)
                    from exponent in Gen.Choose(-12, 40)
                    from mantissa in Gen.Choose(1, 999)
                    select (Price: cents / 100m, Factor: mantissa * Math.Pow(10, exponent));
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(500).WithQuietOnSuccess(true), Prop.ForAll(Arb.From(cases), c =>
        {
            var expected = (double)c.Price * c.Factor;
            try
            {
                var product = new Money(c.Price, Currency.Usd).Times(c.Factor).Amount;
                return expected <= Money.LargestAmount && Math.Abs((double)product - expected) <= Math.Max(1e-9, expected * 1e-9);
            }
            catch (InputException ex)
            {
                return expected > Money.LargestAmount && ex.Text?.Key == "money-product-beyond-budget";
            }
        }));
    }

    [Fact]
    public void Train_with_an_absurd_rent_is_exit_2_naming_the_rent_option()
    {
        var (code, _, err, console) = CliTests.Run("train", "--model", "qwen2.5-7b-instruct", "--hardware", "h100", "--tokens", "1e30", "--rent-per-hour", "1e9 USD");
        Assert.Equal(2, code);
        var text = err + console;
        Assert.Contains("--rent-per-hour of 1,000,000,000 USD times", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Overflow", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }
}
