"""Records the first PDU a peer sends (its A-ASSOCIATE-RQ) and answers with an A-ASSOCIATE-RJ.

Usage: python listen-for-associate-rq.py PORT OUT.hex, then point echoscu at 127.0.0.1 PORT.
Made the fixtures of Tests/DICOMNetworkCoreTests/PDU/CapturedPeerPDUs.swift.
"""
import socket, sys
port = int(sys.argv[1]); out = sys.argv[2]
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port)); s.listen(1); s.settimeout(20)
c, _ = s.accept(); c.settimeout(10)
buf = b""
while len(buf) < 6 or len(buf) < 6 + int.from_bytes(buf[2:6], "big"):
    d = c.recv(65536)
    if not d: break
    buf += d
open(out, "w").write(buf.hex())
# A-ASSOCIATE-RJ: permanent, service-user, no-reason-given
c.sendall(bytes([3,0,0,0,0,4,0,1,1,1]))
c.close(); s.close()
