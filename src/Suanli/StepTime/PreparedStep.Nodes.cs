namespace Suanli.StepTime;

/// <summary>
/// Replicas that span nodes (docs/methodology-serving.md, "Replicas across nodes"): operators split a model larger than
/// one node by pipeline stages across nodes and tensor parallelism within each ("the tensor parallel size is the number
/// of GPUs in each node, and the pipeline parallel size is the number of nodes", vLLM's distributed serving guide,
/// https://docs.vllm.ai/en/v0.8.3/serving/distributed_serving.html). A hand-off between stages on two nodes goes over
/// the server's network at its scale-out bandwidth per device (<see cref="NodeLinks"/>) instead of NVLink, and a
/// tensor-parallel group that spans nodes runs its collectives at the slower of the two links.
/// </summary>
public sealed partial class PreparedStep
{
    private readonly int _crossNodeHandoffs;
    private readonly double _groupLinkBytesPerSecond, _scaleOutBytesPerSecond;

    /// <summary>
    /// Link speeds of <paramref name="deployment"/>'s placement: hand-offs that cross nodes, the one-direction bandwidth
    /// of the tensor-parallel group's collectives (<paramref name="link"/>, the device's interconnect, or the network when
    /// the group spans nodes) and the network's per device. Without <see cref="Deployment.Nodes"/> every link is <paramref name="link"/>.
    /// </summary>
    private static (int Crossings, double GroupLink, double ScaleOut) NodeSpan(Deployment deployment, double link)
    {
        if (deployment.Nodes is not { } nodes)
        {
            return (0, link, link);
        }
        var scaleOut = nodes.ScaleOut.Value;
        return (nodes.CrossNodeHandoffs(deployment.Layout), nodes.GroupCrossesNodes(deployment.Layout) ? Math.Min(link, scaleOut) : link, scaleOut);
    }

    /// <summary>
    /// Seconds of one micro-batch's PP - 1 hand-offs of <paramref name="message"/> bytes: those within a node at
    /// <paramref name="link"/>, those that cross nodes at the network's bandwidth, both at the fitted collective
    /// efficiency and each with one collective latency.
    /// </summary>
    private double PipelineHandoffs(double latency, double message, double link)
    {
        var network = _scaleOutBytesPerSecond * _p.InterconnectEfficiency;
        return (_pp - 1 - _crossNodeHandoffs) * (latency + message / link) + _crossNodeHandoffs * (latency + message / network);
    }
}
