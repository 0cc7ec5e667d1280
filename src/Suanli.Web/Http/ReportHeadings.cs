using Suanli.Runs;
using Suanli.Text;

namespace Suanli.Web.Http;

/// <summary>
/// Chinese headings of the reports the page downloads (the plan's Markdown): report and table titles, column headers,
/// and the Markdown frame ("Findings", severities). A heading with no entry stays English; titles that end in
/// values ("Plan: NAME", "Replicas per hour (autoscaled, UTC)") are matched by their fixed start.
/// </summary>
public static partial class ReportHeadings
{
    private static readonly Dictionary<string, string> Exact = new(StringComparer.Ordinal)
    {
        ["Summary"] = "概要", ["Quantity"] = "项目", ["Value"] = "数值",
        ["Applications"] = "应用", ["Application"] = "应用", ["Model"] = "模型", ["Layout"] = "布局", ["Capacity/replica"] = "每副本容量",
        ["Limit"] = "限制", ["Replicas (peak)"] = "副本数（峰值）", ["Devices (peak)"] = "设备数（峰值）", ["Utilisation (avg)"] = "利用率（平均）",
        ["Article's rule on these inputs (devices)"] = "文章规则用于这些输入（设备数）",
        ["Strategies"] = "策略", ["Strategy"] = "策略", ["Device-hours/day"] = "设备小时/天", ["Energy (kWh/day)"] = "能耗（kWh/天）",
        ["Own: per month"] = "自有：每月", ["Own: up front"] = "自有：前期", ["Own: per M tokens"] = "自有：每百万词元",
        ["Rent: per month"] = "租用：每月", ["Rent: per M tokens"] = "租用：每百万词元",
        ["Assumptions"] = "假设", ["Assumption"] = "假设", ["Hour"] = "小时", ["Devices"] = "设备数", ["Replicas"] = "副本数",
        ["Load (replicas)"] = "负载（副本）", ["Utilisation"] = "利用率", ["Facility power (kW)"] = "设施功率（kW）",
        ["Hardware"] = "硬件", ["Servers"] = "服务器", ["Racks"] = "机柜", ["Facility power at peak (kW)"] = "峰值设施功率（kW）",
        ["Energy per day (kWh)"] = "每日能耗（kWh）", ["Devices, 80% range"] = "设备数，80% 区间", ["Racks, 80% range"] = "机柜数，80% 区间",
        ["Own per month, 80% range"] = "自有每月，80% 区间", ["Rent per month, 80% range"] = "租用每月，80% 区间",
        // The report of a plan that cannot be made (Api/InfeasiblePlan.cs).
        ["What was asked"] = "所提要求", ["Models"] = "模型", ["Weights"] = "权重格式", ["Devices per replica"] = "每副本设备数",
        ["Peak requests in flight"] = "峰值在途请求数", ["Peak requests/s"] = "峰值请求/秒", ["Prompt tokens (mean)"] = "提示词元（平均）",
        ["Output tokens (mean)"] = "输出词元（平均）", ["TTFT p90 target"] = "TTFT p90 目标", ["TPOT p90 target"] = "TPOT p90 目标",
        ["End-to-end p90 target"] = "端到端 p90 目标", ["Traffic profile"] = "流量曲线", ["fewest that fit"] = "能装下的最少设备数",
        ["Why it cannot be met"] = "无法满足的原因", ["Severity"] = "严重程度", ["Finding"] = "内容",
    };

    // The strategies' names as cells and inside titles (the page's words for them).
    private static readonly Dictionary<string, string> Strategies = new(StringComparer.Ordinal)
    {
        ["static"] = "静态", ["autoscaled"] = "自动扩缩", ["pooled"] = "共享池",
    };

    // The target that limits a replica's capacity (ReplicaCapacity.LimitingTarget), as the page names the targets.
    private static readonly Dictionary<string, string> Targets = new(StringComparer.Ordinal)
    {
        ["ttft"] = "TTFT p90", ["tpot"] = "TPOT p90", ["e2e"] = "端到端 p90", ["memory"] = "显存",
    };

    // What limits the servers per rack (FleetPlanner's RackLimit).
    private static readonly Dictionary<string, string> Limits = new(StringComparer.Ordinal) { ["power"] = "功率", ["space"] = "空间" };

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

    private static readonly (string English, string Chinese)[] Starts =
    [
        ("Plan: ", "方案："),
        ("Plan not possible: ", "无法制定方案："),
        ("Replicas per hour (", "每小时副本数（"),
        ("Cost per month by strategy (", "各策略每月成本（"),
        ("Fleet per hour (", "每小时机群（"),
        ("Devices (peak hour, ", "设备数（峰值小时，"),
        ("Sensitivity: each assumption moved and the plan redone (", "敏感性：逐项改变假设并重做方案（"),
    ];

    /// <summary>The heading in <paramref name="language"/>, or as given when there is no translation.</summary>
    public static string Translate(string heading, Language language)
    {
        if (language == Languages.English)
        {
            return heading;
        }
        if (Exact.TryGetValue(heading, out var zh))
        {
            return zh;
        }
        // A group's column of the hourly table: "chat (replicas)".
        if (heading.EndsWith(" (replicas)", StringComparison.Ordinal))
        {
            return heading[..^" (replicas)".Length] + "（副本数）";
        }
        foreach (var (en, cn) in Starts)
        {
            if (heading.StartsWith(en, StringComparison.Ordinal))
            {
                var rest = heading[en.Length..];
                // "Plan: <model> on <device>" (a page scenario's name); the strategy inside "(autoscaled, UTC)".
                rest = rest.Replace(" on ", " 运行于 ", StringComparison.Ordinal);
                var comma = rest.IndexOf(',', StringComparison.Ordinal);
                var first = comma < 0 ? rest.TrimEnd(')') : rest[..comma];
                if (Strategies.TryGetValue(first, out var strategy))
                {
                    rest = strategy + rest[first.Length..].Replace(", ", "，", StringComparison.Ordinal);
                }
                return cn + (en.Contains('(', StringComparison.Ordinal) && rest.EndsWith(')') ? rest[..^1] + "）" : rest);
            }
        }
        return heading;
    }

    /// <summary>
    /// A cell of a plan report's table in <paramref name="language"/>: row labels ("Servers"), strategy names, the
    /// words around values ("7,419 CNY to 7,448 CNY", "16.2 req/s, 117 in flight", "(recommended)") and the
    /// assumptions' explanations; ids, numbers and units stay as they are, and a cell with no translation is kept.
    /// </summary>
    public static string Cell(string cell, Language language)
    {
        if (language == Languages.English || cell.Length == 0)
        {
            return cell;
        }
        if (Exact.ContainsKey(cell) || Starts.Any(s => cell.StartsWith(s.English, StringComparison.Ordinal)))
        {
            return Translate(cell, language);
        }
        if (Strategies.TryGetValue(cell, out var strategy))
        {
            return strategy;
        }
        if (Targets.TryGetValue(cell, out var target))
        {
            return target;
        }
        if (cell.EndsWith(" (recommended)", StringComparison.Ordinal) && Strategies.TryGetValue(cell[..^" (recommended)".Length], out var chosen))
        {
            return chosen + "（推荐）";
        }
        if (Assumption().Match(cell) is { Success: true } a)
        {
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
            return $"{a.Groups["key"].Value} = {value}" + (why is null ? "" : $"（{why}）");
        }
        var text = cell;
        text = text.Replace(" req/s, ", " 请求/秒，", StringComparison.Ordinal).Replace(" in flight", " 个在途", StringComparison.Ordinal);
        text = text.Replace(" (capacity interval, see findings)", "（容量区间，见发现）", StringComparison.Ordinal);
        text = CopiesOf().Replace(text, m => $"（{m.Groups[1].Value} 份副本 x {m.Groups[2].Value}）");
        text = RackOf().Replace(text, m => $"（{m.Groups[1].Value}；受限于{string.Join("、", m.Groups[2].Value.Split(", ").Select(l => Limits.GetValueOrDefault(l, l)))}）");
        text = SpanOf().Replace(text, m => $"{m.Groups[1].Value} 至 {m.Groups[2].Value}");
        return text;
    }

    /// <summary>A table row in <paramref name="language"/>: each cell as <see cref="Cell"/>; the Hardware row's "device in server" as "device（server）".</summary>
    public static IReadOnlyList<string> Row(IReadOnlyList<string> row, Language language)
    {
        if (language == Languages.English)
        {
            return row;
        }
        var cells = row.Select(c => Cell(c, language)).ToArray();
        if (row.Count == 2 && row[0] == "Hardware")
        {
            cells[1] = ServerOf().Replace(row[1], m => $"{m.Groups[1].Value}（{m.Groups[2].Value}）");
        }
        return cells;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<key>[A-Za-z0-9_.\-]+) = (?<value>.+?)(?: \((?<why>[^()]*(?:\([^()]*\)[^()]*)*)\))?$")]
    private static partial System.Text.RegularExpressions.Regex Assumption();

    [System.Text.RegularExpressions.GeneratedRegex(@"^default for (?<currency>[A-Z]{3}); see 'suanli catalog prices'$")]
    private static partial System.Text.RegularExpressions.Regex DefaultFor();

    [System.Text.RegularExpressions.GeneratedRegex(@" \((\d[\d,]*) copies x (\d+)\)$")]
    private static partial System.Text.RegularExpressions.Regex CopiesOf();

    [System.Text.RegularExpressions.GeneratedRegex(@" \(([^;()]+); limited by ([a-z, ]+)\)$")]
    private static partial System.Text.RegularExpressions.Regex RackOf();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(-?[\d,.]+(?: [A-Z]{3})?) to (-?[\d,.]+(?: [A-Z]{3})?)$")]
    private static partial System.Text.RegularExpressions.Regex SpanOf();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(.+) in (.+)$")]
    private static partial System.Text.RegularExpressions.Regex ServerOf();

    /// <summary>A severity's name (<c>error</c>, <c>warning</c>, <c>info</c>) in <paramref name="language"/>; null for any other cell.</summary>
    public static string? Severity(string cell, Language language) =>
        cell is "error" or "warning" or "info" ? Workbook(language).Severities.GetValueOrDefault(cell, cell) : null;

    /// <summary>The findings sheet's labels of the spreadsheet in <paramref name="language"/>.</summary>
    public static WorkbookLabels Workbook(Language language) => language == Languages.English ? WorkbookLabels.English
        : new("发现", "严重程度", "内容", new Dictionary<string, string>(StringComparer.Ordinal) { ["error"] = "错误", ["warning"] = "警告", ["info"] = "说明" });

    /// <summary>The Markdown frame ReportText writes (the findings heading and severities) in <paramref name="language"/>.</summary>
    public static string MarkdownFrame(string markdown, Language language) => language == Languages.English ? markdown
        : markdown.Replace("\n### Findings\n", "\n### 发现\n", StringComparison.Ordinal)
            .Replace("- **error** ", "- **错误** ", StringComparison.Ordinal)
            .Replace("- **warning** ", "- **警告** ", StringComparison.Ordinal)
            .Replace("- **info** ", "- **说明** ", StringComparison.Ordinal);
}
