using System.Globalization;
using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Fleet;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Training;

/// <summary>
/// Money and carbon inputs of a training run, each given by the caller (the CLI takes them as options; a prices
/// catalog may supply them): rent per device-hour, electricity tariff, PUE, grid intensity, purchase prices.
/// </summary>
/// <param name="RentPerDeviceHour">On-demand rent per device-hour with its source; null omits the rent cost.</param>
/// <param name="Tariff">Electricity price per kWh; null omits the electricity cost (with a finding saying how to pass one).</param>
/// <param name="Pue">Power usage effectiveness (facility energy / IT energy), 1 to 3.</param>
/// <param name="GridKgCo2PerKwh">Grid carbon intensity in kg CO2 per kWh; null omits the emissions.</param>
/// <param name="DevicePrice">Purchase price per device with its source; null omits the device capex.</param>
/// <param name="ServerPrice">Purchase price per whole server (devices, hosts, NICs), with the devices it holds; null omits it.</param>
/// <param name="DevicesPerServer">Devices per server for <paramref name="ServerPrice"/>.</param>
public sealed record CostInputs(PriceQuote? RentPerDeviceHour, Money? Tariff, double Pue, double? GridKgCo2PerKwh, PriceQuote? DevicePrice, PriceQuote? ServerPrice = null, int DevicesPerServer = 8)
{
    /// <summary>
    /// Default PUE 1.3 (<see cref="ElectricityDefaults.Pue"/>, the default of every command): the ceiling China's MIIT set for
    /// new large data centres in the "New Data Centre Development Three-Year Action Plan (2021-2023)" (新型数据中心发展三年行动计划).
    /// </summary>
    public const double DefaultPue = ElectricityDefaults.Pue;
}

/// <summary>The money side of a run.</summary>
/// <param name="FacilityEnergy">Device (or server) energy x PUE; null without a power figure.</param>
/// <param name="Rent">Device-hours x rent.</param>
/// <param name="Electricity">Facility energy x tariff.</param>
/// <param name="ElectricityPerYear">The cluster's facility power for a year (8,760 h) x tariff: what running it all year costs.</param>
/// <param name="DeviceCapex">Devices x purchase price.</param>
/// <param name="ServerCapex">Servers x server price (devices, hosts and NICs; no network fabric or building).</param>
/// <param name="Co2Tonnes">Facility energy x grid intensity, in tonnes.</param>
/// <param name="Findings">What was omitted and why.</param>
public sealed record TrainingCost(Energy? FacilityEnergy, Money? Rent, Money? Electricity, Money? ElectricityPerYear, Money? DeviceCapex, Money? ServerCapex, double? Co2Tonnes, IReadOnlyList<Finding> Findings);

/// <summary>Energy, electricity, rent, capex and CO2 of an estimate (docs/methodology-training.md, "Energy and money").</summary>
public static class TrainingCosts
{
    /// <summary>Hours in a year, for the yearly electricity of a cluster kept running.</summary>
    public const double HoursPerYear = 8760;

    /// <summary>Prices the run. Uses whole-server power when the estimate has it (hosts included), else device board power.</summary>
    public static TrainingCost Compute(TrainingEstimate e, CostInputs inputs)
    {
        Guard.InRange(inputs.Pue, 1.0, 3.0, FieldNames.Pue);
        if (inputs.GridKgCo2PerKwh is { } g)
        {
            Guard.InRange(g, 0.0, 2.0, FieldNames.GridKgPerKwh);
        }
        var findings = new List<Finding>();
        var power = e.ServerPower ?? e.DevicePower;
        var facilityPower = power is { } p ? p * inputs.Pue : (Power?)null;
        var facility = facilityPower is { } fp ? fp * e.WallClock : (Energy?)null;
        var devices = e.Request.Devices;

        Money? rent = inputs.RentPerDeviceHour is { } r ? r.Amount.Times(e.DeviceHours, FieldNames.RentPerHour).Round() : null;
        if (rent is null)
        {
            findings.Add(Finding.Info("no-rent", "No rent price for {device}; pass {rentPerHour} '2.50 USD' to price the device-hours.", ("device", e.Request.Device.Id), ("rentPerHour", FieldNames.RentPerHour)));
        }

        Money? electricity = null, perYear = null;
        if (inputs.Tariff is { } t && facility is { } f && facilityPower is { } fpw)
        {
            electricity = t.Times(f.InKilowattHours, FieldNames.Tariff).Round();
            perYear = t.Times(fpw.InKilowatts * HoursPerYear, FieldNames.Tariff).Round();
        }
        else if (inputs.Tariff is null)
        {
            findings.Add(Finding.Info("no-tariff", "Electricity cost omitted: no tariff given. Pass {tariff} '0.65 CNY/kWh' (or your own price per kWh).", ("tariff", FieldNames.Tariff)));
        }

        Money? deviceCapex = inputs.DevicePrice is { } dp ? dp.Amount.Times(devices, FieldNames.DevicePrice).Round() : null;
        Money? serverCapex = inputs.ServerPrice is { } sp && inputs.DevicesPerServer > 0
            ? sp.Amount.Times(Math.Ceiling(devices / (double)inputs.DevicesPerServer), FieldNames.DevicePrice).Round()
            : null;
        if (deviceCapex is null && serverCapex is null)
        {
            findings.Add(Finding.Info("no-capex", "No purchase price for {device} in the catalog; capex omitted.", ("device", e.Request.Device.Id)));
        }

        double? co2 = inputs.GridKgCo2PerKwh is { } kg && facility is { } fe ? fe.InKilowattHours * kg / 1000.0 : null;
        if (facility is { } energy)
        {
            var basis = e.ServerPower is not null
                ? Phrase.Of("power-basis#server", "whole-server power")
                : Phrase.Of("power-basis#device", "device board power (TDP; hosts, network and cooling other than PUE excluded)");
            // A short run keeps two significant figures (0.030 MWh over 2.3 h) rather than "0.0 MWh over 2 h".
            var mwh = energy.InMegawattHours;
            var decimals = mwh > 0 && mwh < 0.1 ? Math.Min(12, 1 - (int)Math.Floor(Math.Log10(mwh))) : 1;
            findings.Add(Finding.Info("energy-basis", "Energy {energy} = {basis} x {hours} x PUE {pue}.",
                ("energy", Fmt.I($"{mwh.ToString("N" + decimals, CultureInfo.InvariantCulture)} MWh")), ("basis", basis),
                ("hours", Fmt.I($"{e.WallClock.InHours.ToString(e.WallClock.InHours < 10 ? "N1" : "N0", CultureInfo.InvariantCulture)} h")), ("pue", Fmt.I($"{inputs.Pue:0.00}"))));
        }
        return new TrainingCost(facility, rent, electricity, perYear, deviceCapex, serverCapex, co2, findings);
    }
}
