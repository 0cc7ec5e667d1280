using Suanli.Text;

namespace Suanli.Web.Http;

/// <summary>
/// Chinese headings of the reports the page downloads (the plan's Markdown): report and table titles, column headers,
/// and the Markdown frame ("Findings", severities). A heading with no entry stays English; titles that end in
/// values ("Plan: NAME", "Replicas per hour (autoscaled, UTC)") are matched by their fixed start.
/// </summary>
public static class ReportHeadings
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
    };

    private static readonly (string English, string Chinese)[] Starts =
    [
        ("Plan: ", "方案："),
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
        foreach (var (en, cn) in Starts)
        {
            if (heading.StartsWith(en, StringComparison.Ordinal))
            {
                var rest = heading[en.Length..];
                return cn + (en.EndsWith('(') && rest.EndsWith(')') ? rest[..^1] + "）" : rest);
            }
        }
        return heading;
    }

    /// <summary>The Markdown frame ReportText writes (the findings heading and severities) in <paramref name="language"/>.</summary>
    public static string MarkdownFrame(string markdown, Language language) => language == Languages.English ? markdown
        : markdown.Replace("\n### Findings\n", "\n### 发现\n", StringComparison.Ordinal)
            .Replace("- **error** ", "- **错误** ", StringComparison.Ordinal)
            .Replace("- **warning** ", "- **警告** ", StringComparison.Ordinal)
            .Replace("- **info** ", "- **说明** ", StringComparison.Ordinal);
}
