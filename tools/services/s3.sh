#!/usr/bin/env bash
# Only the s3 service: tools/services/s3.sh stop|start|restart|status (see service.sh).
exec "$(dirname "${BASH_SOURCE[0]}")/service.sh" s3 "$@"
