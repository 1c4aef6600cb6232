"""Parses Prometheus text format on standard input with prometheus_client's own parser; prints one JSON object per
sample: {"name", "labels", "value"}. Used by the metrics test, so that /metrics is read by a real parser."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

for family in text_string_to_metric_families(sys.stdin.read()):
    for s in family.samples:
        print(json.dumps({"family": family.name, "type": family.type, "name": s.name, "labels": s.labels,
                          "value": s.value}))
