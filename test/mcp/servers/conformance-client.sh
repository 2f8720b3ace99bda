#!/bin/sh
# The client the MCP conformance suite runs: it appends the scenario's server URL and names the
# scenario in MCP_CONFORMANCE_SCENARIO; each scenario asks for one sse-tool mcp command.
url="$1"
here="$(dirname "$0")"
run() { "$SSE_TOOL_NODE" "$here/../../../bin/sse-tool.js" mcp -v "$url" "$@"; }
case "$MCP_CONFORMANCE_SCENARIO" in
  initialize) run ;;
  tools_call) run call add_numbers a:=2 b:=3 ;;
  sse-retry) run call test_reconnection ;;
  *) echo "conformance-client.sh: no command for scenario $MCP_CONFORMANCE_SCENARIO" >&2; exit 2 ;;
esac
