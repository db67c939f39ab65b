"""validate-json-schema.py SCHEMA.json DOC.yaml: validates one YAML document against a JSON schema.

Prints every violation with its path and exits 1 if there is any (deploy-checks: compose-spec check).
"""
import json
import sys

import jsonschema  # a dependency of kubernetes-validate in the tools venv
import yaml

schema_path, doc_path = sys.argv[1], sys.argv[2]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
with open(doc_path, encoding="utf-8") as f:
    doc = yaml.safe_load(f)

# The compose-spec schema names draft-07 without the trailing '#', which validator_for() does not recognise.
if "draft-07" in schema.get("$schema", ""):
    validator_cls = jsonschema.Draft7Validator
else:
    validator_cls = jsonschema.validators.validator_for(schema)
validator_cls.check_schema(schema)
errors = sorted(validator_cls(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
for e in errors:
    print(f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}")
sys.exit(1 if errors else 0)
