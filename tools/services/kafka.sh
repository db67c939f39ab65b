#!/usr/bin/env bash
# Only the kafka service: tools/services/kafka.sh stop|start|restart|status (see service.sh).
exec "$(dirname "${BASH_SOURCE[0]}")/service.sh" kafka "$@"
