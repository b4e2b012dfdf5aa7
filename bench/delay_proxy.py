#!/usr/bin/env python3
"""A loopback TCP proxy that delays every chunk by DELAY_MS in each direction, keeping
order and not limiting bandwidth: a stand-in for a remote server's network latency.

usage: delay_proxy.py LISTEN_PORT TARGET_HOST TARGET_PORT DELAY_MS [TRIPS_LOG]

With TRIPS_LOG, one line is appended to that file per round trip: each time the server
answers after the client sent something (on any connection). A client that sends several
messages before reading (pipelining) pays one; a server greeting or a client's goodbye
(Terminate, COM_QUIT) none. The line is written when the answer reaches the proxy, so it
is in the file before the client can have read it.
"""
import asyncio
import sys
import time


async def pump(reader, writer, delay, on_data=None):
    queue = asyncio.Queue()

    async def deliver():
        while True:
            due, data = await queue.get()
            if data is None:
                break
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
        writer.close()

    task = asyncio.create_task(deliver())
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            if on_data:
                on_data()
            queue.put_nowait((time.monotonic() + delay, data))
    finally:
        queue.put_nowait((0, None))
        await task


async def main():
    listen, host, port, delay_ms = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    delay = delay_ms / 1000.0
    trips_log = sys.argv[5] if len(sys.argv) > 5 else None

    async def handle(client_r, client_w):
        try:
            server_r, server_w = await asyncio.open_connection(host, port)
        except OSError:
            client_w.close()
            return
        # Who sent last on this connection: a server chunk after a client one is a trip.
        last = {"client": False}

        def client_sent():
            last["client"] = True

        def server_sent():
            if last["client"] and trips_log:
                with open(trips_log, "a") as f:
                    f.write("trip\n")
            last["client"] = False

        await asyncio.gather(
            pump(client_r, server_w, delay, client_sent),
            pump(server_r, client_w, delay, server_sent),
            return_exceptions=True,
        )

    server = await asyncio.start_server(handle, "127.0.0.1", int(listen))
    async with server:
        await server.serve_forever()


asyncio.run(main())
