using System.Globalization;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Text;

namespace Suanli.Plan;

/// <summary>
/// The replica layout an application pins, as given (docs/scenario.md, <c>layout</c>): tensor-parallel degree and
/// pipeline stages; <see cref="Resolve"/> checks them against each of the application's models.
/// </summary>
/// <param name="Tp">Tensor-parallel degree (default 1).</param>
/// <param name="Pp">Pipeline stages (default 1).</param>
public sealed record LayoutDraft(double? Tp, double? Pp)
{
    /// <summary>
    /// The pinned layout: whole TP and PP from 1 (TP up to <see cref="Layouts.MaxTensorParallel"/>, TP x PP up to
    /// <see cref="MemoryModel.MaxDevicesSearched"/> devices), valid for every model of the application (heads divide over
    /// TP, stages no more than layers); an invalid one names the valid layouts on the same devices, at the key
    /// <c>layout</c> (or <c>layout.tp</c>, <c>layout.pp</c>) as <paramref name="at"/> places it.
    /// </summary>
    /// <param name="models">The application's models.</param>
    /// <param name="at">The front end's spelling and placing of keys.</param>
    /// <param name="fits">
    /// For a model, whether the weights and one request fit a device in a layout (null: not checked); an invalid
    /// layout's error then lists only the layouts that fit, or the fewest devices whose layouts do (<see cref="Layouts.Validate"/>).
    /// </param>
    public Layout Resolve(IReadOnlyList<ModelEntry> models, IDraftFields at, Func<ModelEntry, Func<Layout, bool>?>? fits = null)
    {
        int Whole(string key, double? value, int max)
        {
            if (value is not { } v)
            {
                return 1;
            }
            if (!(v >= 1 && v <= max && Math.Floor(v) == v))
            {
                throw at.Error($"layout.{key}", Phrase.Of("draft#layout-range", "{field} must be a whole number from 1 to {max}, got {value}.",
                    ("field", at.Name($"layout.{key}")), ("max", max.ToString(CultureInfo.InvariantCulture)), ("value", Fmt.Number(v))));
            }
            return (int)v;
        }
        var tp = Whole("tp", Tp, Layouts.MaxTensorParallel);
        var pp = Whole("pp", Pp, MemoryModel.MaxDevicesSearched);
        if ((long)tp * pp > MemoryModel.MaxDevicesSearched)
        {
            throw at.Error("layout", Phrase.Of("draft#layout-devices", "{field} asks for TP={tp} x PP={pp} = {devices} devices per replica; at most {max} are planned.",
                ("field", at.Name("layout")), ("tp", tp), ("pp", pp), ("devices", (long)tp * pp), ("max", MemoryModel.MaxDevicesSearched)));
        }
        Layout? layout = null;
        foreach (var m in models)
        {
            try
            {
                layout = Layouts.Validate(m.Architecture, tp, pp, m.Id, fits?.Invoke(m));
            }
            catch (InputException ex)
            {
                throw at.Error("layout", ex.Text ?? new Phrase("", ex.Detail, []));
            }
        }
        return layout ?? new Layout(tp, pp, 1);
    }
}
