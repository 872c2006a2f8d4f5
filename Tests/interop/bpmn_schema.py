"""Every path of the catalogue, exported by `masar export-bpmn`, checked by tools Masar did not
write: the OMG's BPMN 2.0 XML Schema (BPMN20.xsd with its DI and DC schemas, as bundled by
SpiffWorkflow) validated through lxml, and the same checks bpmn.io's importer relies on:
every flow element and lane has exactly one shape or edge, and each edge's ends are drawn.

Usage: bpmn_schema.py MASAR SERVICES-FOLDER
"""

import os
import subprocess
import sys
import tempfile

from lxml import etree
import SpiffWorkflow

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
DI = "http://www.omg.org/spec/BPMN/20100524/DI"
DRAWN = {"participant", "lane", "startEvent", "endEvent", "task", "exclusiveGateway", "sequenceFlow"}


def schema():
    folder = os.path.join(os.path.dirname(SpiffWorkflow.__file__), "bpmn", "parser", "schema")
    return etree.XMLSchema(etree.parse(os.path.join(folder, "BPMN20.xsd")))


def check(path, xsd):
    """Problems with one exported file, as readable lines (none when it is sound)."""
    document = etree.parse(path)
    problems = [f"schema: {error.message} (line {error.line})" for error in xsd.error_log] \
        if not xsd.validate(document) else []
    elements = {e.get("id"): etree.QName(e).localname for e in document.iter(f"{{{MODEL}}}*") if e.get("id")}
    drawn = [e.get("bpmnElement") for e in document.iter(f"{{{DI}}}BPMNShape", f"{{{DI}}}BPMNEdge")]
    for element, kind in elements.items():
        if kind in DRAWN and drawn.count(element) != 1:
            problems.append(f"{kind} '{element}' has {drawn.count(element)} shapes or edges")
    for reference in drawn:
        if reference not in elements and reference != "Collaboration_1":
            problems.append(f"a shape or edge points to '{reference}', which is not in the model")
    for flow in document.iter(f"{{{MODEL}}}sequenceFlow"):
        for end in ("sourceRef", "targetRef"):
            if flow.get(end) not in drawn:
                problems.append(f"flow '{flow.get('id')}' has its {end} undrawn")
    return problems


def main():
    masar, services = sys.argv[1], sys.argv[2]
    xsd = schema()
    failures = 0
    checked = 0
    with tempfile.TemporaryDirectory() as scratch:
        for name in sorted(os.listdir(services)):
            if not name.endswith(".yaml"):
                continue
            for kind in ("current", "future"):
                out = os.path.join(scratch, f"{name}.{kind}.bpmn")
                run = subprocess.run([masar, "export-bpmn", os.path.join(services, name), "--path", kind, "--out", out],
                                     capture_output=True, text=True)
                if run.returncode != 0:
                    if "has no future path yet" in run.stderr:
                        continue
                    print(f"✗ {name} {kind}: export failed: {run.stderr.strip()}")
                    failures += 1
                    continue
                problems = check(out, xsd)
                checked += 1
                for problem in problems:
                    print(f"✗ {name} {kind}: {problem}")
                failures += bool(problems)
    if checked == 0:
        print("✗ nothing was exported")
        return 1
    print(f"{'✗' if failures else '✓'} {checked - failures} of {checked} BPMN exports valid against the OMG schema, "
          "with a shape or edge for every element")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
