"""Sends a recorded A-ASSOCIATE-RQ to a peer, records its A-ASSOCIATE-AC and A-RELEASE-RP.

Usage: python request-associate-ac.py PORT RQ.hex OUT.hex, with storescp or echoscp on 127.0.0.1 PORT.
Made the fixtures of Tests/DICOMNetworkCoreTests/PDU/CapturedPeerPDUs.swift.
"""
import socket, sys, time
port = int(sys.argv[1]); rq = bytes.fromhex(open(sys.argv[2]).read()); out = sys.argv[3]
def read_pdu(c):
    buf = b""
    while len(buf) < 6 or len(buf) < 6 + int.from_bytes(buf[2:6], "big"):
        d = c.recv(65536)
        if not d: break
        buf += d
    return buf
for i in range(50):
    try:
        c = socket.create_connection(("127.0.0.1", port), timeout=10); break
    except OSError: time.sleep(0.2)
c.sendall(rq)
ac = read_pdu(c)
c.sendall(bytes([5,0,0,0,0,4,0,0,0,0]))
rp = read_pdu(c)
open(out, "w").write(ac.hex() + "\n" + rp.hex() + "\n")
c.close()
