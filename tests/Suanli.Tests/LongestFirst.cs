using Xunit;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer("Suanli.Tests.LongestFirst", "Suanli.Tests")]

namespace Suanli.Tests;

/// <summary>
/// Starts the test classes whose work is longest first, so that on two cores the run does not end with one of them
/// running alone: the whole core run takes far less CPU time than twice its wall time, so its length is set by its
/// longest chain of work, which is the held-out validation (one Server run's capacity searches of its candidate splits,
/// side by side on the cores, CapacityLayouts.Choose; then the roofline's search of the chosen split beside the run at the
/// published load, InferencePredictor.StartCapacityRun). When the
/// run includes <see cref="HoldoutTests"/>, its shared validation is started on the thread pool at once, before any test
/// runs; its tests read the same <see cref="Lazy{T}"/> and wait for it, as they would for their own first call.
/// The other classes keep the order they are given in; a class not named here runs after the named ones.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    /// <summary>
    /// The classes with the longest work, longest first (the slowest classes of a Release run of the core tests, summed test
    /// durations): one class is one xunit collection, and its tests run one after another.
    /// </summary>
    internal static readonly string[] Longest =
    [
        "HoldoutTests", "EveryModelPlansTests", "ValidateTests", "CompareBoundTests", "HostileInputTests", "WholeSystemTests",
        "ProgramTextTests", "SensitivityTests", "PropertyTests", "BenchmarkWindowTests", "DocFiguresTests", "TwoStageFitTests",
    ];

    /// <summary>The order the collections run in: the named classes first, in <see cref="Longest"/>'s order, then the rest as given.</summary>
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections)
    {
        var collections = testCollections.ToList();
        if (collections.Any(c => Rank(c) == 0))
        {
            HoldoutTests.StartValidation();
        }
        // OrderBy is stable: collections of equal rank keep the order they came in.
        return collections.OrderBy(Rank);
    }

    /// <summary>The index of the collection's class in <see cref="Longest"/>, or its length for a class not named there.</summary>
    private static int Rank(ITestCollection collection)
    {
        // A class without a [Collection] is its own collection, named "Test collection for Namespace.Class".
        var name = collection.DisplayName;
        var index = Array.FindIndex(Longest, c => name.EndsWith("." + c, StringComparison.Ordinal));
        return index < 0 ? Longest.Length : index;
    }
}
