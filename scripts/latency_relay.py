#!/usr/bin/env python3
"""A TCP relay that delays everything the client sends by a fixed time: a far-away AWS region
in front of a local moto.

    python3 scripts/latency_relay.py --listen-port 0 --upstream 127.0.0.1:PORT --delay-ms 50

Prints "listening on PORT" once it accepts connections. Each chunk from the client is sent
upstream DELAY ms after it arrived, in order, so every request (and not every packet of it)
is late by the delay; answers come back at once. Standard library only.
"""

import argparse
import asyncio
import sys


async def pipe(reader, writer, delay):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def read():
        while True:
            data = await reader.read(65536)
            await queue.put((loop.time() + delay, data))
            if not data:
                return

    async def write():
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                break
            writer.write(data)
            await writer.drain()
        try:
            writer.write_eof()
        except OSError:
            pass

    try:
        await asyncio.gather(read(), write())
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--listen-port", type=int, default=0)
    ap.add_argument("--upstream", required=True, help="HOST:PORT")
    ap.add_argument("--delay-ms", type=float, default=50.0)
    args = ap.parse_args()
    host, port = args.upstream.rsplit(":", 1)
    delay = args.delay_ms / 1000.0

    async def handle(client_reader, client_writer):
        try:
            up_reader, up_writer = await asyncio.open_connection(host, int(port))
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            pipe(client_reader, up_writer, delay),
            pipe(up_reader, client_writer, 0.0),
        )

    server = await asyncio.start_server(handle, "127.0.0.1", args.listen_port)
    print(f"listening on {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
