using System.Globalization;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Training;

/// <summary>How the teacher generates the student's training tokens.</summary>
/// <param name="Teacher">The teacher's deployment (model, device, layout, formats, engine).</param>
/// <param name="GeneratedTokens">Output tokens the teacher writes (the student's training tokens).</param>
/// <param name="PromptTokens">Prompt tokens per generated sequence.</param>
/// <param name="OutputTokens">Output tokens per generated sequence.</param>
/// <param name="Batch">Sequences generated at once per teacher copy.</param>
public sealed record TeacherGeneration(Deployment Teacher, Tokens GeneratedTokens, int PromptTokens, int OutputTokens, int Batch);

/// <summary>The teacher's generation time and device-hours.</summary>
/// <param name="Sequences">Sequences generated.</param>
/// <param name="PrefillStep">One batched prefill step.</param>
/// <param name="DecodeStep">One decode step at the mean context.</param>
/// <param name="WallClock">Time for one teacher copy to generate everything.</param>
/// <param name="DeviceHours">Device-hours of the teacher (wall clock x devices of the copy).</param>
public sealed record TeacherEstimate(double Sequences, StepEstimate PrefillStep, StepEstimate DecodeStep, Duration WallClock, double DeviceHours);

/// <summary>
/// Distillation cost = teacher generation (through a step-time model: one batched prefill then one decode step per
/// output token, per batch of sequences) + the student's training on the generated tokens (<see cref="TrainingPlanner"/>).
/// </summary>
public static class Distillation
{
    /// <summary>Device-hours and time for the teacher to write the tokens.</summary>
    public static TeacherEstimate Teacher(TeacherGeneration g, IStepTimeModel stepTime)
    {
        Guard.Positive(g.GeneratedTokens.Value, FieldNames.TeacherTokens);
        Guard.InRange(g.PromptTokens, 0, 10_000_000, FieldNames.TeacherPrompt);
        Guard.InRange(g.OutputTokens, 1, 10_000_000, FieldNames.TeacherOutput);
        Guard.InRange(g.Batch, 1, 100_000, FieldNames.TeacherBatch);
        CheckFits(g);
        var sequences = g.GeneratedTokens.Value / g.OutputTokens;
        var batches = Math.Ceiling(sequences / g.Batch);
        var prefill = stepTime.Estimate(g.Teacher, new StepShape((int)Math.Clamp((long)g.PromptTokens * g.Batch, 1, int.MaxValue), 0, 0, 0));
        var decode = stepTime.Estimate(g.Teacher, StepShape.Decode(g.Batch, g.PromptTokens + g.OutputTokens / 2.0));
        var perBatch = (g.PromptTokens > 0 ? prefill.Time : Duration.Zero) + decode.Time * g.OutputTokens;
        var wall = perBatch * batches;
        return new TeacherEstimate(sequences, prefill, decode, wall, wall.InHours * g.Teacher.Layout.Devices);
    }

    /// <summary>
    /// The teacher must hold its weights and the KV cache of its batch (<see cref="MemoryModel.OnDevice"/> with the
    /// serving reserve): a teacher that does not fit cannot generate, however long it is given.
    /// </summary>
    private static void CheckFits(TeacherGeneration g)
    {
        var t = g.Teacher;
        var context = (int)Math.Min((long)g.PromptTokens + g.OutputTokens, FootprintRequest.MaxContext);
        var request = new FootprintRequest(t.Model, t.Weights, t.Kv, context, g.Batch, RuntimeReserve.Default);
        var memory = MemoryModel.OnDevice(request, t.Layout, t.Device.Memory, RuntimeReserve.Default.MemoryUtilization);
        static string Gb(Bytes b) => b.InGigabytes.ToString("N1", CultureInfo.InvariantCulture);
        static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
        var where = $"{t.Layout.Devices.ToString(CultureInfo.InvariantCulture)} x {t.Device.Id} ({t.Layout})";
        if (memory.MaxSequences < 1)
        {
            var weights = memory.Weights + memory.Activation + memory.Context;
            throw new InputException(FieldNames.TeacherDevices, Phrase.Of("teacher-does-not-fit",
                "The teacher {model} in {weights} does not fit {where}: its weights, activations and runtime need {need} per device against {usable} usable, leaving no room for the KV cache of one {tokens}-token sequence. Give more {teacherDevices}, a lower {teacherPrecision} or a device with more memory ({memory} lists the layouts that fit).",
                ("model", t.Model.Id), ("weights", t.Weights.Name), ("where", where), ("need", Gb(weights) + " GB"), ("usable", Gb(memory.Usable) + " GB"), ("tokens", N(context)),
                ("teacherDevices", FieldNames.TeacherDevices), ("teacherPrecision", FieldNames.TeacherPrecision), ("memory", CommandRefs.Memory)));
        }
        if (memory.MaxSequences < g.Batch)
        {
            throw new InputException(FieldNames.TeacherBatch, Phrase.Of("teacher-batch-does-not-fit",
                "{teacherBatch} {batch} does not fit the teacher {model} on {where}: {batch} sequences of {tokens} tokens need {need} of KV cache per device, {free} is free; the largest batch that fits is {max}.",
                ("teacherBatch", FieldNames.TeacherBatch), ("batch", N(g.Batch)), ("model", t.Model.Id), ("where", where), ("tokens", N(context)),
                ("need", Gb(memory.KvPerSequence * g.Batch) + " GB"), ("free", Gb(memory.FreeForKv) + " GB"), ("max", N(memory.MaxSequences))));
        }
    }
}
