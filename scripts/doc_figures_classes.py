"""The classes scripts/doc-figures-audit.py gives a figure by the words of its sentence (see its doc): a heuristic for
triage, not a pin."""
import re

# Words that put a source beside a figure, words that make it a command's answer, words that make it a code constant.
CITED = (r"\]\(https?://|https?://|datasheet|data sheet|published|publishes|paper|arXiv|et al\.|model card|blog|"
         r"announced|price list|official|SOURCES\.md|according to|\breports?\b|\bmeasured\b|\bvendor|spec sheet|"
         r"whitepaper|article|\bquotes?\b|submission|MLPerf|\b(19|20)\d\d-\d\d(-\d\d)?\b|\((19|20)\d\d\)")
OUTPUT = (r"`suanli\b|\bSuanli\b|\bpredict|\berrors?\b|\bgives\b|\bprints?\b|\bchooses\b|\bcarries\b|"
          r"\bcomes? out\b|\bmedian\b|\bp90\b|leave-one-out|held[- ]out|in-sample|\bfitted\b|\bcounts?\b|"
          r"\bcosts?\b|`\w+Tests?`|\b[A-Z][a-z]+(_[a-z0-9]+){2,}\b|\bcatalog (has|holds|lists)\b|\bneeds?\b|\bplans?\b")
CONSTANT = r"\bexits?\b|\bexit code|\bdefaults?\b|\bat most\b|\bat least\b|\bup to\b|\bbound|\blimit|\bthreshold|\bcapped\b|\bcap\b|\bclamp"


def sentence(raw, pos):
    """The table row or the sentence around pos in the raw page (links and code kept: they carry the citations)."""
    line_start = raw.rfind("\n", 0, pos) + 1
    line_end = raw.find("\n", pos)
    line_end = len(raw) if line_end < 0 else line_end
    if raw[line_start:line_end].lstrip().startswith("|"):
        return raw[line_start:line_end]
    para_start = max(raw.rfind("\n\n", 0, pos), 0)
    para_end = raw.find("\n\n", pos)
    para_end = len(raw) if para_end < 0 else para_end
    ends = [m.end() for m in re.finditer(r"[.;!?]\s", raw[para_start:pos])]
    start = para_start + (ends[-1] if ends else 0)
    m = re.search(r"[.;!?]\s", raw[pos:para_end])
    return raw[start:pos + m.end() if m else para_end]


def classify(raw, start, end):
    """a, b-out, b-const or c (see the module's doc)."""
    s = sentence(raw, start)
    near = raw[max(0, start - 60):end + 60]
    clause = raw[max(0, start - 80):start]
    if re.search(r"\d[\d,.]*\s*(x|/|\*|\+|-)\s*[\d(][^=|]*=\s*\**[~≈]?\s*[$¥]?$", clause):
        return "b-out"  # the result of a worked example's arithmetic
    if re.search(CITED, near, re.I):
        return "a"
    if re.search(CONSTANT, raw[max(0, start - 30):end + 10], re.I):
        return "b-const"
    if re.search(OUTPUT, s):
        return "b-out"
    if re.search(CONSTANT, s, re.I):
        return "b-const"
    if re.search(CITED, s, re.I):
        return "a"
    return "c"


CLASSES = ["a", "b-out", "b-const", "c"]
