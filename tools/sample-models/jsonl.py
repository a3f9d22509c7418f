"""JSON Lines files, standard library only (the measurement scripts that drive the Java CLI import no torch)."""
import json


def read_jsonl(path):
    """The objects of a UTF-8 JSON Lines file; blank lines are skipped."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path, rows):
    """One JSON object per line, UTF-8, non-ASCII kept as is."""
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
