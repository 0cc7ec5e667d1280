using System.Globalization;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>What <c>simulate</c> and <c>capacity</c> run, from the CLI or the web: inputs to core calls to reports.</summary>
public static class ServingRun
{
    /// <summary>
    /// One replica under the load, or with <see cref="LayoutInputs.SystemDevices"/> a whole system: every candidate split
    /// simulated with the load spread evenly over its replicas, the one with the most output tokens/s per device used (within
    /// 1%, the lowest mean end-to-end latency); <paramref name="resolveModel"/> (name, option) defaults to the catalog lookup;
    /// <paramref name="cancel"/> stops the run.
    /// </summary>
    public static Report Simulate(ServingInputs f, SuanliCatalog catalog, IStepTimeModel stepModel, Func<string, FieldRef, ModelEntry>? resolveModel = null,
        CancellationToken cancel = default)
    {
        if (f.Layout.SystemDevices is { } n)
        {
            return SimulateSystem(f, n, catalog, stepModel, resolveModel, cancel);
        }
        NoPinWithoutSystem(f);
        var deployment = Deployment(f, catalog, resolveModel);
        var engine = EngineConfig(f, deployment);
        var workload = Workload(f, loadRequired: true);
        var speculation = Speculation(f, deployment, catalog, resolveModel);
        var report = SimulateReport.Build(Measured(ServingSimulator.Run(deployment, workload, engine, stepModel, Targets(f, workload), speculation, cancel)));
        return WithFindings(WithSpeculationNote(report, speculation, deployment, engine), ReplicaLayouts.CrossingNodes(deployment.Layout, deployment.Device, catalog),
            ServingFindings.PipelineCaps(deployment.Layout, deployment.Engine, engine.MaxNumSeqs, engine.MaxBatchedTokens), ClientStartText.Note(workload, deployment, stepModel));
    }

    /// <summary>
    /// The largest load one replica carries with the targets met, or with <see cref="LayoutInputs.SystemDevices"/> a whole
    /// system: each candidate split's replica searched once, the split with the largest capacity per device used, and the
    /// system's capacity replicas x the replica's; <paramref name="mode"/> is rate or concurrency; <paramref name="cancel"/>
    /// stops the search.
    /// </summary>
    public static Report Capacity(ServingInputs f, string mode, SuanliCatalog catalog, IStepTimeModel stepModel, Func<string, FieldRef, ModelEntry>? resolveModel = null,
        CancellationToken cancel = default)
    {
        var modeName = mode.Trim().ToLowerInvariant();
        var m = modeName switch
        {
            "rate" => CapacityMode.Rate,
            "concurrency" => CapacityMode.Concurrency,
            _ => throw new InputException(FieldNames.Mode, Phrase.Of("mode-unknown", "Unknown {mode} '{value}'. Use rate or concurrency.", ("mode", FieldNames.Mode), ("value", InputEcho.Clip(modeName)))),
        };
        if (f.Rate is not null || f.Concurrency is not null)
        {
            // The search sets the load of every probe itself; a given load would be dropped unseen.
            var load = f.Rate is not null ? FieldNames.Rate : FieldNames.Concurrency;
            throw new InputException(load, Phrase.Of("capacity-load-given", "{load} sets the load of one simulation; the capacity search varies the load itself ({mode} rate or {mode} concurrency). Drop {load}.",
                ("load", load), ("mode", FieldNames.Mode)));
        }
        if (f.Layout.SystemDevices is { } n)
        {
            return CapacitySystem(f, n, m, catalog, stepModel, resolveModel, cancel);
        }
        NoPinWithoutSystem(f);
        var deployment = Deployment(f, catalog, resolveModel);
        var engine = EngineConfig(f, deployment);
        var workload = Workload(f, loadRequired: false, m);
        var targets = Targets(f, workload);
        var speculation = Speculation(f, deployment, catalog, resolveModel);
        var result = CapacitySearch.Run(deployment, BenchmarkWindow.Probe(workload, deployment, stepModel, targets), engine, stepModel, targets, m, catalog.Models, speculation, cancel);
        return WithFindings(WithSpeculationNote(CapacityReport.Build(result, deployment, targets, stepModel is CalibratedStepTimeModel ? IntervalFiles.Embedded : null), speculation, deployment, engine),
            ReplicaLayouts.CrossingNodes(deployment.Layout, deployment.Device, catalog), ServingFindings.PipelineCaps(deployment.Layout, deployment.Engine, engine.MaxNumSeqs, engine.MaxBatchedTokens), StartNote(result, stepModel));
    }

    // How a concurrency search's clients started, from the probe at the largest load (else the first); none for a rate search.
    private static Finding? StartNote(CapacityResult r, IStepTimeModel stepModel) =>
        (r.AtMax ?? (r.Probes.Count > 0 ? r.Probes[0].Result : null)) is { } probe ? ClientStartText.Note(probe.Workload, probe.Deployment, stepModel) : null;

    private static void NoPinWithoutSystem(ServingInputs f)
    {
        if (f.Layout.Tp is not null || f.Layout.Pp is not null || f.Layout.Replicas is not null || f.Layout.AttentionDp is not null)
        {
            var field = f.Layout.Tp is not null ? FieldNames.Tp : f.Layout.Pp is not null ? FieldNames.Pp : f.Layout.Replicas is not null ? FieldNames.Replicas : FieldNames.DpAttention;
            throw new InputException(field, Phrase.Of("pin-needs-system", "{field} pins the split of a whole system: give {systemDevices} N with it ({devices} alone is one replica, tensor parallel within one node).",
                ("field", field), ("systemDevices", FieldNames.SystemDevices), ("devices", FieldNames.Devices)));
        }
    }

    /// <summary>The system's candidates: a deployment per replica layout, the engine settings and the layout choice's parts.</summary>
    private static (ModelEntry Model, Device Device, WeightPrecision Weights, NumberFormat Kv, Engine Engine, EngineConfig Config) SystemParts(ServingInputs f, int systemDevices, SuanliCatalog catalog,
        Func<string, FieldRef, ModelEntry>? resolveModel)
    {
        if (f.Layout.Devices != 1)
        {
            throw DevicesOrSystem();
        }
        var model = (resolveModel ?? ((name, field) => catalog.Model(name, field)))(f.Model, FieldNames.Model);
        var device = catalog.Device(f.Hardware);
        var weights = WeightPrecision.Parse(f.Precision, FieldNames.Precision);
        var kv = NumberFormat.KvFor(weights, f.KvPrecision);
        var engine = ParseEngine(f.Engine);
        var config = EngineConfig(f, new Deployment(model, device, Layout.Single, weights, kv, engine));
        ReplicaLayouts.CheckReplicas(model, systemDevices, f.Layout.Replicas, l => Fits(new Deployment(model, device, l, weights, kv, engine), config));
        return (model, device, weights, kv, engine, config);
    }

    /// <summary>Whether weights, activations and at least one KV block fit a replica layout under the engine's settings.</summary>
    private static bool Fits(Deployment d, EngineConfig e)
    {
        if (d.Engine == StepTime.Engine.LlamaCpp && d.Layout.Tp > 1)
        {
            // llama.cpp splits layers over GPUs, not tensors (its default --split-mode layer), as validation assumes.
            return false;
        }
        try
        {
            return ServingSimulator.KvCapacity(d, e) >= e.BlockSize;
        }
        catch (InputException)
        {
            return false;
        }
    }

    /// <summary>One replica's share of the load: the rate divided by the replicas, or the clients (rounded, at least 1).</summary>
    private static Workload Share(Workload w, int replicas, ServingInputs f) =>
        replicas == 1 ? w
        : f.Trace is not null ? throw new InputException(FieldNames.Trace, Phrase.Of("trace-one-replica", "A trace is the arrivals of one replica: with {systemDevices} pin {replicas} 1, or give {rate} or {concurrency} to spread over replicas.",
            ("systemDevices", FieldNames.SystemDevices), ("replicas", FieldNames.Replicas), ("rate", FieldNames.Rate), ("concurrency", FieldNames.Concurrency)))
        : f.Concurrency is { } c ? w.AtConcurrency(Math.Max(1, (int)Math.Round(c / (double)replicas)))
        : w.AtRate(w.RequestsPerSecond / replicas);

    private static Report SimulateSystem(ServingInputs f, int systemDevices, SuanliCatalog catalog, IStepTimeModel stepModel, Func<string, FieldRef, ModelEntry>? resolveModel,
        CancellationToken cancel)
    {
        var (model, device, weights, kv, engineKind, engine) = SystemParts(f, systemDevices, catalog, resolveModel);
        var workload = Workload(f, loadRequired: true);
        var targets = Targets(f, workload);
        var pin = new SystemPin(f.Layout.Tp, f.Layout.Pp, f.Trace is not null ? f.Layout.Replicas ?? 1 : f.Layout.Replicas, f.Layout.AttentionDp);
        var speculation = Speculation(f, new Deployment(model, device, Layout.Single, weights, kv, engineKind), catalog, resolveModel);
        var runs = new Dictionary<SystemLayout, ServingResult>();
        ServingResult RunOf(SystemLayout s)
        {
            if (!runs.TryGetValue(s, out var r))
            {
                r = ServingSimulator.Run(NodeLinks.Place(new Deployment(model, device, s.Replica, weights, kv, engineKind), catalog), Share(workload, s.Replicas, f), engine, stepModel, targets, speculation, cancel);
                runs[s] = r;
            }
            return r;
        }
        var choice = SystemLayoutChoice.Choose(model, device, systemDevices, pin, catalog, l => Fits(new Deployment(model, device, l, weights, kv, engineKind), engine),
            s => RunOf(s).Throughput.Output.Value / s.Replica.Devices,
            Phrase.Of("layout-rule#simulate", "the most output tokens/s per device at this load (within 1%, the lowest mean end-to-end latency)"),
            preferNoPipeline: true, tieFraction: 0.01, tieBreak: s => RunOf(s).E2e.Mean.Value, expertParallel: ExpertParallelChoice.Tried(model.Architecture, engineKind),
            pipelineWithinNode: f.Layout.PipelineWithinNode);
        var result = Measured(RunOf(choice.Layout));
        var deployment = result.Deployment;
        var report = WithFindings(WithSpeculationNote(SimulateReport.Build(result), speculation, deployment, engine),
            ServingFindings.PipelineCaps(deployment.Layout, deployment.Engine, engine.MaxNumSeqs, engine.MaxBatchedTokens),
            ClientStartText.Note(result.Workload, deployment, stepModel));
        var replicas = choice.Layout.Replicas;
        var system = new SimulateSystemJson(choice.Json, choice.Reason.English, R(result.Throughput.Output.Value * replicas), R(result.Throughput.RequestsPerSecond * replicas));
        var json = (SimulateJson)report.Json with { System = system };
        var table = new ReportTable(WholeSystem(choice, systemDevices, device),
            [
                new(Phrase.Of("col.layout", "Layout")), new(Phrase.Of("col.why", "Why")), new(Phrase.Of("col.replicas", "Replicas"), CellKind.Count),
                new(Phrase.Of("col.load-per-replica", "Load per replica")), new(Phrase.Of("col.output-tok-s-system", "Output tok/s (system)"), CellKind.Number),
                new(Phrase.Of("col.requests-per-s-system", "Requests/s (system)"), CellKind.Number),
            ],
            [[ReportCell.Text(choice.Layout.ToString()), ReportCell.Words(choice.Reason), ReportCell.Count(replicas),
                f.Concurrency is not null ? Clients(result.Workload.Concurrency) : ReportCell.Words(Phrase.Of("cell.req-per-s", "{rate} req/s", ("rate", Show.N(result.Workload.RequestsPerSecond, 3)))),
                ReportCell.Number(system.OutputTokensPerSecond, 0), ReportCell.Number(system.RequestsPerSecond, 3)]]);
        return WithSystem(report, json, table, choice);
    }

    private static Report CapacitySystem(ServingInputs f, int systemDevices, CapacityMode m, SuanliCatalog catalog, IStepTimeModel stepModel, Func<string, FieldRef, ModelEntry>? resolveModel,
        CancellationToken cancel)
    {
        var (model, device, weights, kv, engineKind, engine) = SystemParts(f, systemDevices, catalog, resolveModel);
        var workload = Workload(f, loadRequired: false, m);
        var targets = Targets(f, workload);
        var speculation = Speculation(f, new Deployment(model, device, Layout.Single, weights, kv, engineKind), catalog, resolveModel);
        var searches = new Dictionary<Layout, CapacityResult>();
        CapacityResult SearchOf(Layout l)
        {
            // One search per distinct replica layout: the replica's capacity does not depend on how many replicas there are.
            if (!searches.TryGetValue(l, out var r))
            {
                var d = NodeLinks.Place(new Deployment(model, device, l, weights, kv, engineKind), catalog);
                r = CapacitySearch.Run(d, BenchmarkWindow.Probe(workload, d, stepModel, targets), engine, stepModel, targets, m, catalog.Models, speculation, cancel);
                searches[l] = r;
            }
            return r;
        }
        double Capacity(CapacityResult r) => m == CapacityMode.Rate ? r.MaxRequestsPerSecond ?? 0 : r.MaxConcurrency ?? 0;
        var choice = SystemLayoutChoice.Choose(model, device, systemDevices, new SystemPin(f.Layout.Tp, f.Layout.Pp, f.Layout.Replicas, f.Layout.AttentionDp), catalog,
            l => Fits(new Deployment(model, device, l, weights, kv, engineKind), engine),
            s => Capacity(SearchOf(s.Replica)) / s.Replica.Devices,
            Phrase.Of("layout-rule#capacity", "the largest load per device meeting the targets"), preferNoPipeline: true,
            expertParallel: ExpertParallelChoice.Tried(model.Architecture, engineKind), pipelineWithinNode: f.Layout.PipelineWithinNode);
        var result = SearchOf(choice.Layout.Replica);
        var deployment = NodeLinks.Place(new Deployment(model, device, choice.Layout.Replica, weights, kv, engineKind), catalog);
        var report = WithFindings(WithSpeculationNote(CapacityReport.Build(result, deployment, targets, stepModel is CalibratedStepTimeModel ? IntervalFiles.Embedded : null), speculation, deployment, engine),
            ServingFindings.PipelineCaps(deployment.Layout, deployment.Engine, engine.MaxNumSeqs, engine.MaxBatchedTokens), StartNote(result, stepModel));
        var replicas = choice.Layout.Replicas;
        var json = (CapacityJson)report.Json with
        {
            Layout = choice.Json, LayoutReason = choice.Reason.English,
            SystemMaxRequestsPerSecond = result.MaxRequestsPerSecond is { } rps ? R(rps * replicas) : null,
            SystemMaxConcurrency = result.MaxConcurrency is { } c ? c * replicas : null,
        };
        ReportCell Rps(double? rps) => rps is { } v ? ReportCell.Words(Phrase.Of("cell.req-per-s", "{rate} req/s", ("rate", Show.N(v, 3)))) : ReportCell.None;
        ReportCell Conc(long? clients) => clients is { } v ? Clients(v) : ReportCell.None;
        var table = new ReportTable(WholeSystem(choice, systemDevices, device),
            [
                new(Phrase.Of("col.layout", "Layout")), new(Phrase.Of("col.why", "Why")), new(Phrase.Of("col.replicas", "Replicas"), CellKind.Count),
                new(Phrase.Of("col.capacity-replica", "Capacity per replica")), new(Phrase.Of("col.capacity-system", "Capacity (system)")),
            ],
            [[ReportCell.Text(choice.Layout.ToString()), ReportCell.Words(choice.Reason), ReportCell.Count(replicas),
                m == CapacityMode.Rate ? Rps(result.MaxRequestsPerSecond) : Conc(result.MaxConcurrency),
                m == CapacityMode.Rate ? Rps(json.SystemMaxRequestsPerSecond) : Conc(json.SystemMaxConcurrency)]]);
        return WithSystem(report, json, table, choice);
    }

    // The caption of the whole-system table: the layout, the devices and the device.
    private static Phrase WholeSystem(SystemChoice choice, int systemDevices, Device device) =>
        Phrase.Of("table.whole-system", "Whole system: {layout} on {devices} x {device}", ("layout", choice.Layout.ToString()), ("devices", Show.N(systemDevices)), ("device", device.Id));

    private static ReportCell Clients(long clients) => ReportCell.Words(Phrase.Of("cell.clients", "{clients} clients", ("clients", Fmt.I($"{clients}"))));

    /// <summary>Puts the system's JSON, a leading table and the layout's findings into a replica's report.</summary>
    private static Report WithSystem(Report report, ReportDocument json, ReportTable table, SystemChoice choice)
    {
        var findings = new List<Finding>(report.Findings);
        findings.AddRange(choice.Findings);
        findings.Sort((a, b) => b.Severity.CompareTo(a.Severity));
        json = json switch
        {
            SimulateJson j => j with { Findings = FindingJson.Of(findings) },
            CapacityJson j => j with { Findings = FindingJson.Of(findings) },
            var other => other,
        };
        return report with { Title = $"{report.Title}; whole system {choice.Layout}", Json = json, Tables = [table, .. report.Tables], Findings = findings };
    }

    // Six significant figures, as the reports' JSON.
    private static double R(double v) => double.Parse(v.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static Speculation? Speculation(ServingInputs f, Deployment d, SuanliCatalog catalog, Func<string, FieldRef, ModelEntry>? resolveModel) =>
        PerfRun.ParseSpeculation(f.Speculation.Speculate, f.Speculation.Accept, f.Speculation.DraftTokens, d.Model, resolveModel ?? ((name, field) => catalog.Model(name, field)));

    /// <summary>Adds the speculation finding to the report, its tables' findings and its JSON document's findings alike.</summary>
    private static Report WithSpeculationNote(Report report, Speculation? s, Deployment d, EngineConfig engine)
    {
        if (s is null)
        {
            return report;
        }
        var memory = SpeculativeDecoding.Memory(d, s);
        var note = Finding.Info("speculation#simulated", "Speculative decoding ({speculation}): every decode step verifies {verified} tokens per sequence after {draft} draft pass(es), and each sequence emits {expected} tokens per step on average, (1 - a^(k+1)) / (1 - a), carried as a running fraction so runs stay deterministic. The draft's memory is placed on the fullest device: {draftWeights} of weights ({basis}) and {kvPerToken} bytes of KV per cached token, so the KV cache holds {withDraft} tokens instead of {without} (docs/methodology-steptime.md, 'Speculative decoding').",
            ("speculation", s.ToString()), ("verified", Fmt.I($"{s.Tokens + 1}")), ("draft", Fmt.I($"{s.Tokens}")), ("expected", s.ExpectedTokensPerStep.ToString("0.###", CultureInfo.InvariantCulture)),
            ("draftWeights", Show.Bytes(memory.Weights)), ("basis", memory.Basis), ("kvPerToken", Show.N(memory.KvPerToken.Value)),
            ("withDraft", Show.N(ServingSimulator.KvCapacity(d, engine, s))), ("without", Show.N(ServingSimulator.KvCapacity(d, engine))));
        return WithFindings(report, note);
    }

    /// <summary>
    /// Adds findings (the null ones skipped) to the report's findings and its JSON document's findings alike, most severe
    /// first: each added in the order given, the list sorted again after each.
    /// </summary>
    private static Report WithFindings(Report report, params Finding?[] added)
    {
        if (added.All(f => f is null))
        {
            return report;
        }
        var findings = new List<Finding>(report.Findings);
        foreach (var finding in added.OfType<Finding>())
        {
            findings.Add(finding);
            findings.Sort((a, b) => b.Severity.CompareTo(a.Severity));
        }
        ReportDocument json = report.Json switch
        {
            SimulateJson j => j with { Findings = FindingJson.Of(findings) },
            CapacityJson j => j with { Findings = FindingJson.Of(findings) },
            var other => other,
        };
        return report with { Json = json, Findings = findings };
    }

    private static Deployment Deployment(ServingInputs f, SuanliCatalog catalog, Func<string, FieldRef, ModelEntry>? resolveModel)
    {
        var model = (resolveModel ?? ((name, field) => catalog.Model(name, field)))(f.Model, FieldNames.Model);
        var device = catalog.Device(f.Hardware);
        var weights = WeightPrecision.Parse(f.Precision, FieldNames.Precision);
        var kv = NumberFormat.KvFor(weights, f.KvPrecision);
        var engine = ParseEngine(f.Engine);
        var layout = ReplicaLayouts.Default(model, device, f.Layout.Devices, engine, catalog)
            ?? throw new InputException(FieldNames.Devices, Phrase.Of("no-layout-power-of-two", "{model} has no valid layout on exactly {devices} devices; try a power of two.", ("model", model.Id), ("devices", f.Layout.Devices)));
        return NodeLinks.Place(new Deployment(model, device, layout, weights, kv, engine), catalog);
    }

    /// <summary>
    /// The engine settings: the engine's documented defaults for the device (<see cref="SchedulerDefaults"/>, reported
    /// as assumed), with any option given replacing its default.
    /// </summary>
    private static EngineConfig EngineConfig(ServingInputs f, Deployment d)
    {
        var e = Suanli.Serving.EngineConfig.Default(d.Engine, d.Device);
        return (e.WithCaps(f.EngineSettings.MaxNumSeqs, f.EngineSettings.MaxBatchedTokens) with
        {
            BlockSize = f.EngineSettings.BlockSize,
            GpuMemoryUtilization = f.EngineSettings.GpuMemoryUtilization ?? e.GpuMemoryUtilization,
            PrefixCacheHitRate = f.EngineSettings.PrefixHitRate,
        }).Validated();
    }

    /// <summary>
    /// The targets, each metric's in one form (at p90, at p99, or at its stated percentile), checked against the window
    /// of <paramref name="w"/>: every percentile needs <see cref="Percentile.TailRequests"/> measured requests beyond it.
    /// </summary>
    private static ServingTargets Targets(ServingInputs f, Workload w)
    {
        var t = f.Targets;
        var (ttft, ttftAt) = Target(w, t.TtftP90, FieldNames.TtftP90, t.TtftP99, FieldNames.TtftP99, t.Ttft, FieldNames.Ttft, t.TtftPercentile, FieldNames.TtftPercentile);
        var (tpot, tpotAt) = Target(w, t.TpotP90, FieldNames.TpotP90, t.TpotP99, FieldNames.TpotP99, t.Tpot, FieldNames.Tpot, t.TpotPercentile, FieldNames.TpotPercentile);
        var (e2e, e2eAt) = Target(w, t.E2eP90, FieldNames.E2eP90, t.E2eP99, FieldNames.E2eP99, t.E2e, FieldNames.E2e, t.E2ePercentile, FieldNames.E2ePercentile);
        return new ServingTargets(ttft, tpot, e2e) { TtftAt = ttftAt, TpotAt = tpotAt, E2eAt = e2eAt };
    }

    // One metric's target: at most one of its three forms; the percentile field only with the form it qualifies.
    private static (Quantities.Duration? Target, Percentile At) Target(Workload w, double? p90, FieldName p90Field, double? p99, FieldName p99Field, double? any, FieldName anyField,
        string? percentile, FieldName percentileField)
    {
        var given = new[] { (p90, p90Field), (p99, p99Field), (any, anyField) }.Where(x => x.Item1 is not null).ToList();
        if (given.Count > 1)
        {
            throw new InputException(given[1].Item2, Phrase.Of("target-forms", "{first} and {second} both set one target; give one of them: each target is checked at one percentile.",
                ("first", given[0].Item2), ("second", given[1].Item2)));
        }
        if (percentile is not null && any is null)
        {
            throw new InputException(percentileField, Phrase.Of("target-percentile-alone", "{percentile} states the percentile of {target}; give {target} too (e.g. {target} 2 {percentile} 99), or drop {percentile}.",
                ("percentile", percentileField), ("target", anyField)));
        }
        var at = p99 is not null ? Percentile.P99 : percentile is { } text ? Percentile.Parse(text, percentileField) : Percentile.P90;
        if (given.Count == 0)
        {
            return (null, at);
        }
        var target = ServingTargets.Seconds(given[0].Item1!.Value, given[0].Item2);
        at.CheckWindow(w, percentile is null ? given[0].Item2 : percentileField, FieldNames.Requests);
        return (target, at);
    }

    /// <summary>
    /// The workload; <paramref name="loadRequired"/> demands one of rate, concurrency, trace; <paramref name="search"/> is
    /// the capacity search's mode (null for a simulation), which decides whether a staggered start has a closed loop.
    /// </summary>
    private static Workload Workload(ServingInputs f, bool loadRequired, CapacityMode? search = null)
    {
        var start = ClientStartText.Parse(f.Start);
        ClientStartText.CheckClosedLoop(start, search is null ? f.Concurrency is not null && f.Trace is null && f.Rate is null : search == CapacityMode.Concurrency);
        var given = (f.Rate is null ? 0 : 1) + (f.Concurrency is null ? 0 : 1) + (f.Trace is null ? 0 : 1);
        if (given > 1 || (given == 0 && loadRequired))
        {
            throw new InputException(FieldNames.Rate, Phrase.Of("load-one-of", "Give exactly one load: {rate} R (Poisson requests per second), {concurrency} N (closed loop) or {trace} FILE.", ("rate", FieldNames.Rate), ("concurrency", FieldNames.Concurrency), ("trace", FieldNames.Trace)));
        }
        if (f.ThinkTime != 0 && f.Concurrency is null)
        {
            // Arrivals at a rate, from a trace or of a capacity search keep their own schedule: a think time would be dropped unseen.
            throw new InputException(FieldNames.ThinkTime, Phrase.Of("think-time-closed-loop-only", "{thinkTime} applies only to a closed loop of clients ({concurrency} N); with {rate}, {trace} or a capacity search requests arrive on their own schedule. Drop {thinkTime}, or give {concurrency} instead.",
                ("thinkTime", FieldNames.ThinkTime), ("concurrency", FieldNames.Concurrency), ("rate", FieldNames.Rate), ("trace", FieldNames.Trace)));
        }
        if (f.Trace is { } trace)
        {
            return Suanli.Serving.Workload.FromTrace(ServingText.ReadTrace(trace), trace);
        }
        var inputText = f.Input ?? throw new InputException(FieldNames.Input, Phrase.Of("prompt-length-required", "{input} is required (prompt tokens, e.g. {input} 512 or {input} uniform:256:1024).", ("input", FieldNames.Input)));
        var outputText = f.Output ?? throw new InputException(FieldNames.Output, Phrase.Of("output-length-required", "{output} is required (output tokens, e.g. {output} 256 or {output} lognormal:mean=300,sd=150).", ("output", FieldNames.Output)));
        var input = ServingText.ParseLength(inputText, FieldNames.Input);
        var output = ServingText.ParseLength(outputText, FieldNames.Output);
        var duration = f.Duration is { } s ? Quantities.Duration.FromSeconds(Guard.Positive(s, FieldNames.Duration)) : (Quantities.Duration?)null;
        var requests = f.Requests ?? (duration is null ? Suanli.Serving.Workload.DefaultRequests : Suanli.Serving.Workload.MaxRequests);
        var think = Quantities.Duration.FromSeconds(Guard.NonNegative(f.ThinkTime, FieldNames.ThinkTime));
        return (f.Concurrency is { } c
            ? Suanli.Serving.Workload.ClosedLoop(c, input, output, think, f.Seed, requests, duration)
            : Suanli.Serving.Workload.Poisson(f.Rate ?? 1, input, output, f.Seed, requests, duration)) with { Start = start };
    }

    /// <summary>
    /// The result, refused when a duration's warm-up held every request: with nothing measured every latency and rate
    /// would print as 0, a silent answer to a question the run never asked.
    /// </summary>
    private static ServingResult Measured(ServingResult r)
    {
        if (r.Requests.Measured > 0 || r.Requests.Rejected > 0)
        {
            return r;
        }
        // A queue that overflowed before the warm-up ended leaves every latency at 0: the load is at fault, not the
        // duration, and a table of zeros beside the saturation finding would read as an instant answer.
        if (r.QueueOverflowed && r.Findings.FirstOrDefault(x => x.Code == "saturated") is { Text: { } saturation })
        {
            var load = r.Workload.Kind switch
            {
                ArrivalKind.Poisson => FieldNames.Rate,
                ArrivalKind.ClosedLoop => FieldNames.Concurrency,
                _ => FieldNames.Trace,
            };
            throw new InputException(load, Phrase.Of("simulate-saturated-unmeasured",
                "{saturation} It stopped before the warm-up the statistics leave out had ended, so no request was measured and there is no latency to report.",
                ("saturation", saturation)));
        }
        if (r.Workload.Duration is not { } duration)
        {
            return r;
        }
        throw new InputException(FieldNames.Duration, Phrase.Of("simulate-nothing-measured",
            "Nothing was measured: all {issued} requests arrived within the first {warmup} s of {duration} {seconds} s, the warm-up the statistics leave out. Give more {requests} (or drop it), or a shorter {duration}.",
            ("issued", r.Requests.Issued.ToString(CultureInfo.InvariantCulture)), ("warmup", Show.Sig(r.Workload.WarmupFraction * duration.Value)),
            ("duration", FieldNames.Duration), ("seconds", Show.Sig(duration.Value)), ("requests", FieldNames.Requests)));
    }

    private static Engine ParseEngine(string name) => EngineNames.Parse(name, FieldNames.Engine);

    /// <summary>The error when both the devices of one replica and of the whole system are given.</summary>
    internal static InputException DevicesOrSystem() =>
        new(FieldNames.Devices, Phrase.Of("devices-or-system", "Give {devices} (one replica) or {systemDevices} (the whole system, split into replicas), not both.", ("devices", FieldNames.Devices), ("systemDevices", FieldNames.SystemDevices)));
}
