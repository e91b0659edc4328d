"""Where a recovery's CPU went, from a JFR recording of RecoveryTime recover (recovery-time.sh with
RECOVERY_JAVA_OPTS=-XX:StartFlightRecording=...): the share of execution samples whose stack holds each
phase's frame, and, within the core's rebuild, each callee's share. Usage: jfr_breakdown.py FILE.jfr ..."""
import collections
import re
import subprocess
import sys

PHASES = [
    ("journal read + deserialize: H2", "org.h2."),
    ("journal read + deserialize: event decoding", "PersistenceSerializer.fromBinary"),
    ("core rebuild + re-execution", "ExecutionDriver.recover"),
    ("first step after recovery: sending replies", "ReplicaShell.afterDurable"),
]
INSIDE_CORE = [
    ("Ed25519 signing (replies of re-executed requests)", "Ed25519Signer.sign"),
    ("hashing whole requests (MessageVerifier.forget)", "MessageVerifier.forget"),
    ("encoding messages for signing", "ProtobufCodec.encode"),
    ("key-value store execution", "KeyValueStore.execute"),
    ("replaying events into the core", "Recovery.replay"),
]

for path in sys.argv[1:]:
    text = subprocess.run(["jfr", "print", "--stack-depth", "300", "--events", "jdk.ExecutionSample", path],
                          capture_output=True, text=True, check=True).stdout
    stacks = []
    for event in text.split("jdk.ExecutionSample")[1:]:
        frames = re.findall(r"^\s+([\w$.<>]+)\(", event, re.M)
        if frames:
            stacks.append("\n".join(frames))
    counts = collections.Counter()
    for stack in stacks:
        for label, frame in PHASES:
            if frame in stack:
                counts[label] += 1
        if "ExecutionDriver.recover" in stack:
            for label, frame in INSIDE_CORE:
                if frame in stack:
                    counts[label] += 1
    core = counts["core rebuild + re-execution"]
    print(f"{path}: {len(stacks)} samples")
    for label, _ in PHASES:
        print(f"  {label:50} {counts[label]:6}  {100 * counts[label] / max(1, len(stacks)):5.1f}% of all samples")
    for label, _ in INSIDE_CORE:
        print(f"    {label:48} {counts[label]:6}  {100 * counts[label] / max(1, core):5.1f}% of the core's samples")
