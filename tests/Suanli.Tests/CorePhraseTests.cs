using Suanli.Cost;
using Suanli.Serving;
using Suanli.Text;
using Suanli.Training;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The core's range checks name a logical field or say what the value is as a phrase: the English sentence is the one
/// the CLI has always printed, and the page renders the same error in Chinese with its own field names.
/// </summary>
public class CorePhraseTests
{
    private static InputException Refused(Action act) => Assert.Throws<InputException>(act);

    private static string Chinese(InputException ex) => ex.Text!.Render(Languages.Chinese, FieldNames.Web);

    [Fact]
    public void A_trace_row_with_a_negative_arrival_names_the_trace_and_the_row_in_both_languages()
    {
        var ex = Refused(() => Workload.FromTrace([new TraceRequest(0, 10, 10), new TraceRequest(-1, 10, 10)]));
        Assert.Equal("--trace request 2 arrival seconds must be zero or more, got -1.", ex.Message);
        Assert.Equal(FieldNames.Trace, ex.FieldId);
        Assert.Equal("trace 第 2 个请求的到达秒数必须大于或等于零，实际为 -1。", Chinese(ex));
    }

    [Fact]
    public void A_trace_row_past_a_month_of_arrivals_is_refused_in_both_languages()
    {
        // 1e300 s was taken: the clock then no longer resolves a millisecond, and latencies printed as 0.
        var ex = Refused(() => Workload.FromTrace([new TraceRequest(0, 10, 10), new TraceRequest(1e300, 10, 10)]));
        Assert.Equal("--trace request 2 arrival seconds must be between 0 and 2,592,000, got 1e300.", ex.Message);
        Assert.Equal("trace 第 2 个请求的到达秒数必须介于 0 和 2,592,000 之间，实际为 1e300。", Chinese(ex));
        Assert.Equal(2, Workload.FromTrace([new TraceRequest(0, 10, 10), new TraceRequest(Workload.MaxDurationSeconds, 10, 10)]).Requests);
    }

    [Fact]
    public void A_trace_row_with_no_output_tokens_names_its_column_and_the_allowed_range()
    {
        var ex = Refused(() => Workload.FromTrace([new TraceRequest(0, 10, 0)], "trace.csv"));
        Assert.Equal("trace.csv request 1 output tokens must be between 1 and 10,000,000, got 0.", ex.Message);
        Assert.Equal("trace.csv", ex.Field);
        Assert.Equal("trace.csv 第 1 个请求的输出词元数必须介于 1 和 10,000,000 之间，实际为 0。", Chinese(ex));
    }

    [Fact]
    public void An_unsorted_trace_says_which_row_in_the_readers_language()
    {
        var ex = Refused(() => Workload.FromTrace([new TraceRequest(5, 10, 10), new TraceRequest(2, 10, 10)]));
        Assert.Equal("--trace request 2: arrival 2 s is before the previous request's 5 s; sort the trace by arrival time.", ex.Message);
        Assert.Equal("trace 第 2 个请求：到达时间 2 s 早于前一个请求的 5 s；请按到达时间对轨迹排序。", Chinese(ex));
    }

    [Fact]
    public void A_quality_floor_over_100_names_the_quality_field_as_each_front_end_spells_it()
    {
        var ex = Refused(() => QualityFloor.Parse("MMLU>=120"));
        Assert.Equal("--quality must be between 0 and 100, got 120.", ex.Message);
        Assert.Equal(FieldNames.Quality, ex.FieldId);
        Assert.Equal("quality 必须介于 0 和 100 之间，实际为 120。", Chinese(ex));
    }

    [Fact]
    public void A_budget_that_is_not_a_number_and_a_size_of_zero_are_refused_naming_their_fields()
    {
        var budget = Refused(() => ComputeOptimal.Budget(double.NaN));
        Assert.Equal("--flops must be a finite number, got NaN.", budget.Message);
        Assert.Equal("flops 必须是有限数值，实际为 NaN。", Chinese(budget));
        var size = Refused(() => ComputeOptimal.Loss(0, Quantities.Tokens.FromBillions(1)));
        Assert.Equal("parameters must be greater than zero, got 0.", size.Message);
        Assert.Equal(FieldNames.Parameters, size.FieldId);
        Assert.Equal("parameters 必须大于零，实际为 0。", Chinese(size));
    }

    [Fact]
    public void A_quantity_in_the_wrong_unit_says_what_it_should_be_in_both_languages()
    {
        var ex = Refused(() => Quantities.QuantityText.ParsePower("5 GB", "rack.power"));
        Assert.StartsWith("rack.power: '5 GB' has unit 'GB', which is not power; use one of W, ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith(" (e.g. '700 W').", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("rack.power：'5 GB' 的单位 'GB' 不是功率的单位；请使用 W、", Chinese(ex), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bare_message_becomes_a_plain_phrase_that_renders_as_written_in_every_language()
    {
        // Findings and errors made from bare English text travel inside other phrases as Phrase.Plain: braces stay text.
        var plain = Phrase.Plain("needs {more} memory");
        Assert.Equal("message", plain.Key);
        Assert.Equal("needs {more} memory", plain.Render(Languages.Chinese, FieldNames.Core));
        var bare = new Finding(Severity.Warning, "x", "bare {x} sentence");
        Assert.Equal("bare {x} sentence", bare.Phrase.Render(Languages.Chinese, FieldNames.Core));
        // A finding or error that has its phrase keeps it.
        var phrased = Finding.Warn("k", "{n} left", ("n", 3));
        Assert.Same(phrased.Text, phrased.Phrase);
        var error = new InputException("field", "plain words");
        Assert.Equal(error.Message, error.Phrase.English);
        var made = new InputException(FieldNames.Tp, Phrase.Of("k", "{n} bad", ("n", 2)));
        Assert.Same(made.Text, made.Phrase);
    }
}
