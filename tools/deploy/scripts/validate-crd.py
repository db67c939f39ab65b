"""validate-crd.py CRD.yaml DOC.yaml: validates every object of the CRD's kind in a multi-document YAML file
against the CRD's openAPIV3Schema (its served version), as the API server would with strict field validation:
an unknown field is an error, not silently pruned. Prints each violation; exits 1 if any, 2 if no object found.
"""
import sys

import jsonschema  # a dependency of kubernetes-validate in the tools venv
import yaml


def strict(schema):
    """openAPIV3Schema -> JSON Schema: objects with declared properties refuse undeclared ones, unless the CRD
    preserves unknown fields there; Kubernetes extensions (x-kubernetes-*) are dropped."""
    if isinstance(schema, list):
        return [strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: strict(v) for k, v in schema.items() if not k.startswith("x-kubernetes-")}
    if schema.get("x-kubernetes-int-or-string"):
        out.setdefault("anyOf", [{"type": "integer"}, {"type": "string"}])
    if "properties" in schema and "additionalProperties" not in schema and not schema.get(
        "x-kubernetes-preserve-unknown-fields"
    ):
        out["additionalProperties"] = False
    return out


crd_path, doc_path = sys.argv[1], sys.argv[2]
with open(crd_path, encoding="utf-8") as f:
    crd = yaml.safe_load(f)
group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
versions = {f"{group}/{v['name']}": strict(v["schema"]["openAPIV3Schema"]) for v in crd["spec"]["versions"] if v["served"]}
with open(doc_path, encoding="utf-8") as f:
    docs = [d for d in yaml.safe_load_all(f) if d and d.get("kind") == kind]
if not docs:
    print(f"no {kind} in {doc_path}")
    sys.exit(2)
errors = []
for doc in docs:
    schema = versions.get(doc.get("apiVersion"))
    if schema is None:
        errors.append(f"{doc['metadata']['name']}: apiVersion {doc.get('apiVersion')} is not served by the CRD")
        continue
    # metadata is the API server's (ObjectMeta), not the CRD's to describe.
    schema = {**schema, "properties": {**schema["properties"], "metadata": {"type": "object"}}}
    validator = jsonschema.Draft7Validator(schema)
    for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
        errors.append(f"{doc['metadata']['name']}: {'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}")
if errors:
    print("\n".join(errors))
sys.exit(1 if errors else 0)
