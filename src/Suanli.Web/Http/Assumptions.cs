using Suanli.Runs;
using Suanli.Text;

namespace Suanli.Web.Http;

/// <summary>
/// The scenario's assumptions in a report's Assumptions table in Chinese ("key = value (explanation)"): the scenario
/// records them as English sentences, so their values and explanations are looked up here; ids, numbers and units
/// stay as they are, and an assumption with no translation is kept. (Titles, headers and the other worded cells are
/// phrases with keys, rendered in the reader's language by the report's renderers.)
/// </summary>
public static partial class Assumptions
{
    // The explanations in parentheses after a scenario assumption ("key = value (explanation)"), and the profiles' descriptions.
    private static readonly Dictionary<string, string> Explanations = new(StringComparer.Ordinal)
    {
        ["default"] = "默认", ["default, illustrative"] = "默认，示意",
        ["catalog server for the device"] = "该设备的目录服务器",
        ["no catalog server for the device: generic node, nameplate 1.8 x device TDP"] = "目录中没有该设备的服务器：按通用节点，铭牌功率为设备 TDP 的 1.8 倍",
        ["default; hourly profiles are read in this zone"] = "默认；逐小时的流量曲线按此时区读取",
        ["the released checkpoint's format"] = "发布检查点的格式",
        ["default: seed case C7's rack; PUE per docs/methodology-fleet.md"] = "默认：种子案例 C7 的机柜；PUE 见 docs/methodology-fleet.md",
        ["default: 10 tokens/s per stream, docs/methodology-fleet.md"] = "默认：每个流 10 词元/秒，见 docs/methodology-fleet.md",
        ["weekday office hours (illustrative): peaks at 9-11 and 14-16, lunch dip, ~2% at night"] = "工作日办公时间（示意）：9-11 点和 14-16 点为高峰，午间回落，夜间约 2%",
        ["outbound call centre (illustrative): dialling 9-12 and 13:30-18, none at night"] = "外呼呼叫中心（示意）：9-12 点和 13:30-18 点拨号，夜间为零",
        ["consumer chatbot (illustrative): evening peak 20-22, trough 4-6"] = "面向消费者的聊天机器人（示意）：20-22 点晚高峰，4-6 点低谷",
        ["constant peak load"] = "全天保持峰值负载",
    };

    // Assumption values that are sentences rather than ids.
    private static readonly Dictionary<string, string> AssumptionValues = new(StringComparer.Ordinal)
    {
        ["fewest that fit, tensor parallel preferred"] = "能装下的最少设备数，优先张量并行",
        ["20% headroom, at least 1 replica, 10-minute scale-up"] = "20% 余量，至少 1 个副本，10 分钟扩容",
        ["TTFT p90 2 s, TPOT p90 100 ms"] = "TTFT p90 2 s，TPOT p90 100 ms",
    };

    /// <summary>A cell in <paramref name="language"/>: an assumption's value and explanation translated; any other cell as it is.</summary>
    public static ReportCell Cell(ReportCell cell, Language language)
    {
        if (language == Languages.English || cell.Kind != CellKind.Text || cell.Phrase is not { Key: "", Template: var text } || Assumption().Match(text) is not { Success: true } a)
        {
            return cell;
        }
        var value = a.Groups["value"].Value;
        var why = a.Groups["why"].Success ? a.Groups["why"].Value : null;
        // "profile = office-hours: <description>"
        var colon = value.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && Explanations.TryGetValue(value[(colon + 2)..], out var description))
        {
            value = value[..colon] + "：" + description;
        }
        value = AssumptionValues.GetValueOrDefault(value, value);
        // "tariff = X (default for CNY; see 'suanli catalog prices')"
        if (why is not null && DefaultFor().Match(why) is { Success: true } d)
        {
            why = $"{d.Groups["currency"].Value} 的默认值；见 'suanli catalog prices'";
        }
        else if (why is not null && Explanations.TryGetValue(why, out var reason))
        {
            why = reason;
        }
        return ReportCell.Text($"{a.Groups["key"].Value} = {value}" + (why is null ? "" : $"（{why}）"));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<key>[A-Za-z0-9_.\-]+) = (?<value>.+?)(?: \((?<why>[^()]*(?:\([^()]*\)[^()]*)*)\))?$")]
    private static partial System.Text.RegularExpressions.Regex Assumption();

    [System.Text.RegularExpressions.GeneratedRegex(@"^default for (?<currency>[A-Z]{3}); see 'suanli catalog prices'$")]
    private static partial System.Text.RegularExpressions.Regex DefaultFor();
}
