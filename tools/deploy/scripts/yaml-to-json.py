"""Reads (multi-document) YAML on stdin, prints a JSON array of the documents (deploy-checks helper)."""
import json
import sys

import yaml  # PyYAML, a dependency of kubernetes-validate in the tools venv

json.dump(list(yaml.safe_load_all(sys.stdin)), sys.stdout)
