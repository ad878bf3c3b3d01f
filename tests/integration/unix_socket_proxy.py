#!/usr/bin/env python3
"""Forwards connections from one Unix socket to another, to cut the agent off its engine.

    unix_socket_proxy.py LISTEN_SOCKET TARGET_SOCKET

Killing it drops every connection it carries (the events stream among them) and refuses new
ones until it is started again, while the engine behind it goes on.
"""
import asyncio
import os
import sys


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def forward(client_reader, client_writer):
    try:
        engine_reader, engine_writer = await asyncio.open_unix_connection(sys.argv[2])
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(pipe(client_reader, engine_writer), pipe(engine_reader, client_writer))


async def main():
    if os.path.exists(sys.argv[1]):
        os.unlink(sys.argv[1])
    server = await asyncio.start_unix_server(forward, path=sys.argv[1])
    print("listening", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
