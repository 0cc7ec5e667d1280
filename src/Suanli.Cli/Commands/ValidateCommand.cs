using System.CommandLine;
using Suanli.Files;
using Suanli.Validation;
using Suanli.Runs;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Cli.Commands;

/// <summary>
/// <c>suanli validate</c>: predicts every row of measurement files and prints measured, predicted and signed error,
/// with a summary per metric; optionally refits the calibration (<c>--fit</c>) and writes the report and scatter plot.
/// </summary>
public static class ValidateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var files = new Argument<string[]>("FILE") { Description = "Measurement CSV files (formats A and B of validation/measurements/README.md).", Arity = ArgumentArity.OneOrMore };
        var format = CliOptions.Format();
        var report = new Option<string?>("--report") { Description = "Also write the report as Markdown to this file (e.g. docs/validation.md)." };
        var plot = new Option<string?>("--plot") { Description = "Write a PNG of predicted vs measured on log axes (e.g. docs/validation-scatter.png)." };
        var fit = new Option<string?>("--fit") { Description = "Refit the step-time calibration to the inference rows, write it to this YAML file (e.g. catalog/calibration/steptime.yaml) and validate with it." };
        var calibration = new Option<string?>("--calibration") { Description = "Use this calibration YAML instead of the embedded one." };
        var leaveOneOut = new Option<bool>("--leave-one-out") { Description = "Also report leave-one-out errors: each row predicted by a fit that did not see it." };
        var fitIntervals = new Option<string?>("--fit-intervals") { Description = "With --leave-one-out: write the 80% prediction intervals of the out-of-sample residuals to this YAML file (e.g. catalog/calibration/intervals.yaml)." };
        var holdout = new Option<bool>("--holdout") { Description = "The files hold rows no calibration is fitted to (validation/holdout): the report says so (e.g. docs/holdout.md); refused with --fit." };
        var force = CliOptions.Force();
        var command = new Command("validate", "Predict published measurements and report the error: measured, predicted and signed error per row, median and p90 per metric, with the pure roofline beside.")
        {
            files, format, report, plot, fit, calibration, leaveOneOut, fitIntervals, holdout, force,
        };
        command.SetAction(parse => c.Guarded(() =>
        {
            var catalog = CliContext.CatalogFor(parse);
            if (parse.GetValue(fitIntervals) is not null && !parse.GetValue(leaveOneOut))
            {
                throw new InputException(fitIntervals.Name, Phrase.Of("cli.validate-intervals-need-loo", "{intervals} needs {leaveOneOut}: the intervals come from the leave-one-out residuals. Add {leaveOneOut}, or drop {intervals}.",
                    ("intervals", fitIntervals.Name), ("leaveOneOut", leaveOneOut.Name)));
            }
            var heldOut = parse.GetValue(holdout);
            if (heldOut && parse.GetValue(fit) is not null)
            {
                // A fitted row no longer tests the model: the two options contradict each other.
                throw new InputException(holdout.Name, Phrase.Of("cli.validate-holdout-with-fit", "{holdout} reports rows that are never fitted; drop {fit}, or refit on the calibration files without {holdout}.",
                    ("holdout", holdout.Name), ("fit", fit.Name)));
            }
            // Read under the input-file size cap here; MeasurementFiles.Read would read any length.
            var read = MeasurementFiles.UniqueIds(parse.GetValue(files)!.Select(f => File.Exists(f) ? MeasurementFiles.Parse(InputFiles.ReadText(f, "FILE"), f) : MeasurementFiles.Read(f)));
            var cal = parse.GetValue(calibration) is { } path ? CalibrationFiles.Read(path) : CalibrationFiles.Embedded;
            // Every file this run writes (--fit, --fit-intervals, --report, --plot) lands together at the end, or none does.
            using var outputs = new OutputFiles(parse.GetValue(force));
            if (parse.GetValue(fit) is { } fitPath)
            {
                var data = string.Join(", ", read.Select(f => f.Path.Replace('\\', '/')));
                cal = Calibrator.Fit(read.SelectMany(f => f.Rows), catalog, cal, DateOnly.FromDateTime(c.Clock.GetUtcNow().UtcDateTime), data, c.Cancel);
                var fitted = cal;
                outputs.Stage(fitPath, "--fit", temp => File.WriteAllText(temp, CalibrationFiles.Write(fitted,
                    "Step-time calibration: efficiency curves and overheads per engine class and hardware family.\n" +
                    "Written by: suanli validate " + string.Join(' ', read.Select(f => f.Path)) + " --fit " + fitPath + "\n" +
                    "Functional form and sources: docs/methodology-steptime.md. Do not edit by hand; refit instead.")));
            }
            var model = new CalibratedStepTimeModel(cal);
            var validator = new Validator(new InferencePredictor(catalog, model, cal), new TrainingRowPredictor(catalog));
            var result = validator.Run(read, c.Cancel);
            var all = read.SelectMany(f => f.Rows).ToList();
            IReadOnlyList<HeldOutPrediction>? loo = parse.GetValue(leaveOneOut)
                ? [.. Calibrator.LeaveOneOut(all, catalog, cal, c.Cancel), .. TrainingLeaveOneOut.Run(all, catalog)]
                : null;
            var built = ValidationReport.Build(result, cal, loo, catalog, heldOut);
            if (parse.GetValue(fitIntervals) is { } intervalPath && loo is not null)
            {
                var residuals = IntervalFit.Residuals(result, loo, catalog, cal, c.Cancel);
                var data = string.Join(", ", read.Select(f => f.Path.Replace('\\', '/')));
                var intervals = IntervalFit.Fit(residuals, DateOnly.FromDateTime(c.Clock.GetUtcNow().UtcDateTime), data);
                outputs.Stage(intervalPath, "--fit-intervals", temp => File.WriteAllText(temp, IntervalFiles.Write(intervals,
                    "Prediction intervals: split-conformal 80% ends of measured/predicted over the out-of-sample residuals of the\n" +
                    "validation data (leave-one-out for rows the calibration is fitted to), per kind x engine x architecture.\n" +
                    "Written by: suanli validate " + string.Join(' ', read.Select(f => f.Path)) + " --leave-one-out --fit-intervals " + intervalPath + "\n" +
                    "Method: docs/methodology-intervals.md. Do not edit by hand; refit instead.")));
            }
            if (parse.GetValue(report) is { } reportPath)
            {
                var markdown = heldOut ? HoldoutMarkdown(built, read.Select(f => f.Path)) : ValidationMarkdown(built, parse.GetValue(plot), read.Select(f => f.Path));
                outputs.Stage(reportPath, "--report", temp => File.WriteAllText(temp, markdown));
            }
            if (parse.GetValue(plot) is { } plotPath)
            {
                outputs.Stage(plotPath, "--plot", temp => ValidationPlot.Write(result, temp));
            }
            outputs.Commit();
            c.Write(built, parse.GetValue(format));
            return result.Problems.Count > 0 ? SuanliCli.InputError : 0;
        }));
        return command;
    }

    /// <summary>docs/holdout.md: the page's header and the report, for the given measurement files (as typed).</summary>
    internal static string HoldoutMarkdown(Report report, IEnumerable<string> files)
    {
        var command = "suanli validate " + string.Join(' ', files) + " --holdout --format markdown --report docs/holdout.md --force";
        // One paragraph per line: the page is compared byte for byte with this output (HoldoutTests).
        var header = $$"""
            # Holdout: predicted vs published measurements that are never fitted

            Generated by `{{command}}`; do not edit by hand. Signed error = (predicted - measured) / measured.

            These rows (validation/holdout/README.md: MLPerf Inference results of rounds after the v4.1 rows the calibration is fitted to, each with its log's repository, commit and path) are never fitted: the step-time calibration is the committed one, fitted to the files its `data:` line names ("Findings" below), and a test keeps validation/holdout out of that list. Rows are predicted as in [validation.md](validation.md): offline rows through the serving simulator, Server rows through the capacity search at the benchmark's p99 targets. Rows whose source states no layout or engine limits (all but the GB300 NVL72 Llama 3.1 405B rows, ho-025..028, which carry the submitter's config, and the Mixtral rows on B200, which pin the TP=1 PP=1 their checkpoint was built for: validation/holdout/README.md) are predicted with the split the predictor chooses and each engine's documented scheduler caps for the device (`SchedulerDefaults`; docs/methodology-serving.md, "Engine defaults"), each row's note saying which and that they are assumed; the caps MLPerf v4.1 submitters tuned for their own systems are not carried over to later rounds (the same section says why). Every row more than 2x off has its reason in "Rows that miss most, and why". What these rows say about TensorRT-LLM's KV-cache budget (`EngineConfig.KvFractionOfFreeMemory`): docs/methodology-serving.md, "KV capacity".


            """;
        return header.ReplaceLineEndings("\n") + ReportText.Markdown(report);
    }

    private static string ValidationMarkdown(Report report, string? plot, IEnumerable<string> files)
    {
        var header = "# Validation: predicted vs published measurements\n\n" +
            "Generated by `suanli validate " + string.Join(' ', files) + " --leave-one-out --fit-intervals catalog/calibration/intervals.yaml --format markdown --report docs/validation.md --plot docs/validation-scatter.png --force` " +
            "(the refit of the step-time calibration before it: docs/methodology-steptime.md, \"Calibration\"); " +
            "do not edit by hand. Signed error = (predicted - measured) / measured.\n\n" +
            "How rows are predicted: inference rows with a queue (scenarios offline, concurrency, rate, capacity) through the serving " +
            "simulator (`ServingPrediction.Predict`) with the calibrated step-time model, capacity rows through the capacity search at " +
            "their p99 targets; fixed-batch rows (llama-bench) and prefill speeds from the step time alone; training rows with " +
            "`TrainingPredictor.Predict` from model, tokens, hardware, devices, precision and sequence length. The roofline column is " +
            "the same path with the uncalibrated `Roofline` (every operator at peak, no overhead) for inference rows and MFU 1 for " +
            "training rows. Leave-one-out: inference rows are predicted by a step-time fit of their group without the row, training " +
            "rows by a utilisation model refitted without the row. Methods: docs/methodology-steptime.md, docs/methodology-serving.md, " +
            "docs/methodology-training.md.\n\n" +
            (plot is null ? "" : $"![Predicted vs measured, log axes]({Path.GetFileName(plot)})\n\n");
        return header + ReportText.Markdown(report);
    }
}


/// <summary>The predicted-vs-measured scatter of <c>suanli validate --plot</c> (ScottPlot PNG, log axes, one series per metric).</summary>
public static class ValidationPlot
{
    /// <summary>Writes the PNG.</summary>
    public static void Write(ValidationResult result, string path)
    {
        var plot = new ScottPlot.Plot();
        plot.Font.Set("DejaVu Sans");
        // Total training FLOPs (1e23 to 1e26) would stretch the axes over 20 empty decades; their errors are in the tables.
        var rows = result.Rows.Where(r => r.Prediction.Predicted is > 0 && r.Row.Metric != "train_flops").ToList();
        if (rows.Count == 0)
        {
            throw new InputException("--plot", Phrase.Of("cli.validate-nothing-to-plot", "No row was predicted, so there is nothing to plot. Give measurement files with rows the catalog can predict, or drop {plot}.", ("plot", "--plot")));
        }
        var all = rows.SelectMany(r => new[] { r.Row.Value, r.Prediction.Predicted!.Value }).ToList();
        var lo = Math.Floor(Math.Log10(all.Min()));
        var hi = Math.Ceiling(Math.Log10(all.Max()));
        foreach (var g in rows.GroupBy(r => r.Row.Metric))
        {
            var xs = g.Select(r => Math.Log10(r.Row.Value)).ToArray();
            var ys = g.Select(r => Math.Log10(r.Prediction.Predicted!.Value)).ToArray();
            var s = plot.Add.ScatterPoints(xs, ys);
            s.LegendText = g.Key;
            s.MarkerSize = 8;
            // Training metrics as squares so that colours repeated by the palette stay distinguishable.
            if (g.First().Row is Suanli.Validation.TrainingMeasurement)
            {
                s.MarkerShape = ScottPlot.MarkerShape.FilledSquare;
            }
        }
        var diagonal = plot.Add.Line(lo, lo, hi, hi);
        diagonal.LinePattern = ScottPlot.LinePattern.Dashed;
        diagonal.LegendText = "predicted = measured";
        foreach (var k in new[] { 0.8, 1.25 })
        {
            var band = plot.Add.Line(lo, lo + Math.Log10(k), hi, hi + Math.Log10(k));
            band.LinePattern = ScottPlot.LinePattern.Dotted;
            band.Color = ScottPlot.Colors.Gray;
        }
        // Decade ticks: log10 values on the axes, labelled with the measured quantity.
        ScottPlot.TickGenerators.NumericManual Decades()
        {
            var manual = new ScottPlot.TickGenerators.NumericManual();
            for (var k = lo; k <= hi; k++)
            {
                manual.AddMajor(k, k is > 4 or < -3
                    ? "1e" + k.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : Math.Pow(10, k).ToString("#,0.###", System.Globalization.CultureInfo.InvariantCulture));
            }
            return manual;
        }
        plot.Axes.Bottom.TickGenerator = Decades();
        plot.Axes.Left.TickGenerator = Decades();
        plot.Axes.SetLimits(lo, hi, lo, hi);
        plot.Title("Suanli: predicted vs measured (log axes; dotted: ±25%; train_flops in the tables)");
        plot.XLabel("Measured (row's unit)");
        plot.YLabel("Predicted");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(path, 900, 700);
    }
}
