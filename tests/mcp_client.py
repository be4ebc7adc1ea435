"""An MCP client session with `passage mcp`, on the official Python SDK (`mcp`).

Usage: python mcp_client.py PASSAGE_BINARY FOLDER

Starts `PASSAGE_BINARY mcp --index index` in FOLDER (which holds `corpus/` and no index
yet), calls the tools before and after an ingest, and prints what it saw as one JSON
object on stdout; tests/mcp.rs asserts on it.
"""

import asyncio
import json
import subprocess
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def outcome(result):
    """A tool result as plain data: its error flag, text and structured content."""
    return {
        "is_error": result.is_error,
        "text": [c.text for c in result.content if c.type == "text"],
        "structured": result.structured_content,
    }


async def session_calls(session, passage, folder):
    init = await session.initialize()
    seen = {"server": init.server_info.name}
    tools = await session.list_tools()
    seen["tools"] = {
        t.name: {
            "description": t.description,
            "required": t.input_schema.get("required", []),
            "properties": sorted(t.input_schema.get("properties", {})),
            "read_only": t.annotations.read_only_hint if t.annotations else None,
        }
        for t in tools.tools
    }
    call = session.call_tool
    seen["before_ingest"] = outcome(await call("search", {"query": "müller"}))
    subprocess.run(
        [passage, "--index", "index", "ingest", "-q", "corpus"], cwd=folder, check=True
    )
    seen["search"] = outcome(await call("search", {"query": "müller", "limit": 2}))
    seen["budget"] = outcome(
        await call("search", {"query": "müller", "max_total_chars": 30})
    )
    seen["paths"] = outcome(
        await call("search", {"query": "otter", "paths": ["*.md"], "context": 1})
    )
    seen["bad_query"] = outcome(await call("search", {"query": 'otters "river'}))
    seen["lenient"] = outcome(
        await call("search", {"query": 'otters "river', "strict": False})
    )
    seen["bad_limit"] = outcome(await call("search", {"query": "otter", "limit": 0}))
    seen["passage"] = outcome(
        await call(
            "get_passage", {"path": "corpus/firmen.txt", "passage": 1, "context": 1}
        )
    )
    seen["no_passage"] = outcome(
        await call("get_passage", {"path": "corpus/firmen.txt", "passage": 9})
    )
    seen["stats"] = outcome(await call("index_stats", {}))
    return seen


async def main():
    passage, folder = sys.argv[1], sys.argv[2]
    server = StdioServerParameters(
        command=passage, args=["mcp", "--index", "index"], cwd=folder
    )
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            seen = await session_calls(session, passage, folder)
    json.dump(seen, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    asyncio.run(main())
