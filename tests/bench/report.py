#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Turn the JSON lines of vc-bench into build/bench/results.md and PNG plots.

Usage: report.py OUTDIR   (reads meta.jsonl raw.jsonl ours.jsonl stock.jsonl)
Prints the markdown to stdout as well.  Each issue-5 target is reported as
met / not met / not measured; nothing here is a pass/fail test.
"""
import json
import os
import sys


def load(path):
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                try:
                    rows.append(json.loads(line))
                except ValueError:
                    pass
    return rows


out = sys.argv[1]
meta = {}
for r in load(os.path.join(out, "meta.jsonl")):
    meta.update(r)
raw = load(os.path.join(out, "raw.jsonl"))
dev = load(os.path.join(out, "ours.jsonl")) + load(os.path.join(out, "stock.jsonl"))
ws = load(os.path.join(out, "ws.jsonl"))
wsv = {(r["label"], r["alg"], r["op"], r["size"]): r for r in ws if r.get("type") == "dev"}

rawv = {}            # (lib, alg, op, size) -> row
for r in raw:
    rawv[(r["lib"], r["alg"], r["op"], r["size"])] = r
devv = {}            # (label, type, alg, op, size, queues) -> row
idle = {}
devinfo = {}
for r in dev:
    if r["type"] == "idle":
        idle[r["label"]] = r
    elif r["type"] == "device":
        devinfo[r["label"]] = r
    elif r["type"] in ("dev", "scale"):
        key = (r["label"], r["type"], r["alg"], r["op"], r["size"], r["queues"])
        old = devv.get(key)
        # repeated points (scaling runs twice, interleaved): keep the better
        # run, but never hide a failed one
        if old is None or (old.get("ok") and r.get("ok") and r.get("ops", 0) > old.get("ops", 0)) \
                or (old.get("ok") and "skip" not in r and not r.get("ok")):
            devv[key] = r


def d(label, alg, op, size, q=1, typ="dev"):
    r = devv.get((label, typ, alg, op, size, q))
    if r is None or "skip" in r or not r.get("ok"):
        return None
    return r


def rw(lib, alg, op, size):
    r = rawv.get((lib, alg, op, size))
    return r if r and r.get("ok") else None


def fmt(v, unit=""):
    if v is None:
        return "–"
    if v >= 100:
        return "{:,.0f}{}".format(v, unit)
    if v >= 10:
        return "{:.1f}{}".format(v, unit)
    return "{:.2f}{}".format(v, unit)


def why(label, alg, op, size, q=1, typ="dev"):
    r = devv.get((label, typ, alg, op, size, q))
    if r is None:
        return "not run"
    if "skip" in r:
        return r["skip"]
    if not r.get("ok"):
        return "FAILED (errors {}, wrong outputs {})".format(r.get("errors"), r.get("mismatches"))
    return ""


lines = []
P = lines.append


def cpu(r):
    if not r or "qemu_cpu" not in r:
        return "–"
    return "{:.2f}/{:.2f}".format(r["qemu_cpu"], r["harness_cpu"])

# ---------------------------------------------------------------- targets
targets = []


def target(name, value, thresh, ge=True, note=""):
    if value is None:
        targets.append((name, "–", thresh, "not measured", note))
        return
    met = value >= thresh if ge else value <= thresh
    targets.append((name, "{:.3g}".format(value), ("≥ " if ge else "≤ ") + "{:g}".format(thresh),
                    "**met**" if met else "**not met**", note))


def ratio_raw(alg, op, size, q=1):
    o = d("ours", alg, op, size, q)
    g = rw("libgcrypt", alg, op, size)
    if not o or not g:
        return None, why("ours", alg, op, size, q)
    note = "ours {} MB/s vs libgcrypt {} MB/s".format(fmt(o["mbps"]), fmt(g["mbps"]))
    if o.get("qemu_cpu"):
        note += "; per QEMU CPU-second: {:.2f}× (QEMU used {:.2f} CPUs)".format(
            o["ops"] / o["qemu_cpu"] / g["ops"], o["qemu_cpu"])
    return o["ops"] / g["ops"], note


for alg, op, size, th in (("aes-256-xts", "enc", 65536, 0.90), ("aes-128-cbc", "enc", 65536, 0.90),
                          ("aes-128-cbc", "dec", 65536, 0.90), ("aes-256-xts", "enc", 4096, 0.50),
                          ("aes-128-cbc", "dec", 4096, 0.30)):
    v, note = ratio_raw(alg, op, size)
    target("{} {} {} B: device / raw libgcrypt (1 queue)".format(alg, op, size), v, th, note=note)

# per queue at N queues, 64 KiB XTS
qmax = max([k[5] for k in devv if k[0] == "ours" and k[1] == "scale"] or [1])
if qmax > 1:
    o = d("ours", "aes-256-xts", "enc", 65536, qmax, "scale")
    g = rw("libgcrypt", "aes-256-xts", "enc", 65536)
    target("aes-256-xts enc 65536 B: per-queue device / raw libgcrypt at {} queues".format(qmax),
           o["ops"] / qmax / g["ops"] if o and g else None, 0.90,
           note="" if o and g else why("ours", "aes-256-xts", "enc", 65536, qmax, "scale"))

o = d("ours", "aes-128-cbc", "enc", 64)
s = d("stock", "aes-128-cbc", "enc", 64)
g = rw("libgcrypt", "aes-128-cbc", "enc", 64)
target("64 B aes-128-cbc enc: device ops/s / stock ops/s (1 queue)",
       o["ops"] / s["ops"] if o and s else None, 1.5,
       note="ours {} op/s, stock {} op/s".format(fmt(o and o["ops"]), fmt(s and s["ops"])))
fw = (1e6 / o["ops"] - 1e6 / g["ops"]) if o and g else None
fws = (1e6 / s["ops"] - 1e6 / g["ops"]) if s and g else None
target("64 B framework cost per request, µs (1/device rate − 1/raw rate)", fw, 0.2, ge=False,
       note="stock: {} µs".format(fmt(fws)))

for alg, op, size in (("aes-256-xts", "enc", 4096), ("aes-256-xts", "enc", 65536), ("aes-128-cbc", "enc", 64)):
    a = d("ours", alg, op, size, 1, "scale")
    b = d("ours", alg, op, size, 2, "scale")
    target("{} {} {} B: 2 queues / 1 queue".format(alg, op, size),
           b["ops"] / a["ops"] if a and b else None, 1.8,
           note="" if a and b else why("ours", alg, op, size, 2, "scale"))

worst = None
for k, r in devv.items():
    if k[0] == "ours" and "skip" not in r and r.get("qmp_n", 0) > 0:
        if worst is None or r["qmp_p99_ms"] > worst["qmp_p99_ms"]:
            worst = r
rsa4k = d("ours", "rsa-4096", "sign", 32)
note = ""
if worst:
    note = "worst: {}/{} {} B q={} (p99 {:.2f} ms, {} samples)".format(
        worst["alg"], worst["op"], worst["size"], worst["queues"], worst["qmp_p99_ms"], worst["qmp_n"])
if not rsa4k:
    note += "; RSA-4096 load not measured ({})".format(why("ours", "rsa-4096", "sign", 32))
target("QMP p99 during every load of our device, ms", worst["qmp_p99_ms"] if worst else None, 2.0,
       ge=False, note=note)

o = d("ours", "rsa-2048", "sign", 32)
g = rw("libgcrypt", "rsa-2048", "sign", 32)
n = rw("nettle", "rsa-2048", "sign", 32)
best = max([x["ops"] for x in (g, n) if x] or [0]) or None
target("RSA-2048 sign: device / fastest raw library", o["ops"] / best if o and best else None, 0.95,
       note=("ours {} /s, libgcrypt {} /s, nettle {} /s".format(fmt(o and o["ops"]), fmt(g and g["ops"]),
                                                             fmt(n and n["ops"]))
             if o else why("ours", "rsa-2048", "sign", 32)))

# ---------------------------------------------------------------- markdown
P("# virtio-crypto device benchmark")
P("")
P("Measured {} on {} ({} CPUs); {} s per point{}; load average before {}, after {}; git {}.".format(
    meta.get("date", "?"), meta.get("host_cpu", "?"), meta.get("ncpu", "?"), meta.get("time_per_point", "?"),
    " (QUICK)" if meta.get("quick") else "", meta.get("load_before", "?"), meta.get("load_after", "?"),
    meta.get("git", "?")))
P("Harness: tests/bench/vc-bench.c (q35 + qtest accelerator, guest RAM in a shared memory-backend-file, "
  "split rings written directly, indirect descriptors when offered, every request's status checked and "
  "about one in 61 outputs (plus the whole first ring) compared with libgcrypt/nettle).")
P("")
for label in ("ours", "stock"):
    i = devinfo.get(label)
    if i:
        P("- {}: max_dataqueues {}, services 0x{:x}, cipher 0x{:x}, hash 0x{:x}, mac 0x{:x}, aead 0x{:x}, "
          "akcipher 0x{:x}, queue size {}, indirect {}".format(label, i["max_dataqueues"], i["services"],
                                                              i["cipher"], i["hash"], i["mac"], i["aead"],
                                                              i["akcipher"], i["queue_size"], i["indirect"]))
    else:
        P("- {}: did not start (see the run log)".format(label))
P("")
P("## Issue 5 targets")
P("")
P("| target | measured | wanted | result | detail |")
P("|---|---|---|---|---|")
for t in targets:
    P("| {} | {} | {} | {} | {} |".format(*t))
P("")

P("## Symmetric operations, one queue")
P("")
P("MB/s counts payload bytes (src). ratio = ours / raw libgcrypt single core. Device figures are the mean over "
  "the measured window (wall clock); raw figures are operations per CPU second of one thread, best of five "
  "sub-windows (other load on the machine does not lower them), so ratios err against the device. QMP p99 in ms during the load. cpu = cores used by QEMU / by the harness.")
P("")
P("| algorithm | op | size | ours op/s | ours MB/s | stock MB/s | libgcrypt MB/s | nettle MB/s | ours/gcrypt "
  "| ours/stock | QMP p99 ours | QMP p99 stock | cpu ours | cpu stock |")
P("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
sym = []
for r in raw:
    if r["lib"] == "libgcrypt" and not r.get("extra") and r["alg"].split("-")[0] not in ("rsa", "ecdsa"):
        sym.append((r["alg"], r["op"], r["size"]))
for alg, op, size in sym:
    o = d("ours", alg, op, size)
    s = d("stock", alg, op, size)
    g = rw("libgcrypt", alg, op, size)
    n = rw("nettle", alg, op, size)
    P("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
        alg, op, size, fmt(o and o["ops"]) if o else why("ours", alg, op, size), fmt(o and o["mbps"]),
        fmt(s and s["mbps"]) if s else why("stock", alg, op, size), fmt(g and g["mbps"]), fmt(n and n["mbps"]),
        fmt(o["ops"] / g["ops"]) if o and g else "–", fmt(o["ops"] / s["ops"]) if o and s else "–",
        fmt(o and o["qmp_p99_ms"]), fmt(s and s["qmp_p99_ms"]), cpu(o), cpu(s)))
P("")

P("## Asymmetric operations, one queue (operations per second)")
P("")
P("| operation | ours | stock | libgcrypt | nettle | ours / fastest lib | QMP p99 ours | QMP p99 stock |")
P("|---|---|---|---|---|---|---|---|")
for r in raw:
    if r["lib"] != "libgcrypt" or r.get("extra") or r["alg"].split("-")[0] not in ("rsa", "ecdsa"):
        continue
    alg, op, size = r["alg"], r["op"], r["size"]
    o = d("ours", alg, op, size)
    s = d("stock", alg, op, size)
    g = rw("libgcrypt", alg, op, size)
    n = rw("nettle", alg, op, size)
    best = max([x["ops"] for x in (g, n) if x] or [0])
    P("| {} {} | {} | {} | {} | {} | {} | {} | {} |".format(
        alg, op, fmt(o["ops"]) if o else why("ours", alg, op, size),
        fmt(s["ops"]) if s else why("stock", alg, op, size), fmt(g and g["ops"]), fmt(n and n["ops"]),
        fmt(o["ops"] / best) if o and best else "–", fmt(o and o["qmp_p99_ms"]), fmt(s and s["qmp_p99_ms"])))
P("")

P("## Scaling with data queues (our device)")
P("")
P("Each point ran twice, interleaved (1, 2 .. N queues, then again); the better run is shown.")
P("")
P("| load | queues | op/s | MB/s | × one queue | QMP p99 |")
P("|---|---|---|---|---|---|")
for k in sorted(k for k in devv if k[0] == "ours" and k[1] == "scale"):
    r = devv[k]
    base = d("ours", k[2], k[3], k[4], 1, "scale")
    if "skip" in r or not r.get("ok"):
        P("| {} {} {} B | {} | {} | | | |".format(k[2], k[3], k[4], k[5], why(*k[:1], k[2], k[3], k[4], k[5], "scale")))
        continue
    P("| {} {} {} B | {} | {} | {} | {} | {} |".format(k[2], k[3], k[4], k[5], fmt(r["ops"]), fmt(r["mbps"]),
                                                     fmt(r["ops"] / base["ops"]) if base else "–",
                                                     fmt(r["qmp_p99_ms"])))
P("")

def variant_table(title, what, name):
    """The scaling loads rerun with other device properties, against the default."""
    P("## Scaling loads with " + title)
    P("")
    P(what + " Each point ran twice; the better run is shown.")
    P("")
    P("| load | queues | op/s | op/s default | QMP p50 | QMP p99 | QMP p99 default |")
    P("|---|---|---|---|---|---|---|")
    rows = {}
    for r in load(os.path.join(out, name)):
        if r.get("type") == "scale" and r.get("ok"):
            k = (r["alg"], r["op"], r["size"], r["queues"])
            if k not in rows or r["ops"] > rows[k]["ops"]:
                rows[k] = r
    for k in sorted(rows):
        r = rows[k]
        base = d("ours", k[0], k[1], k[2], k[3], "scale")
        P("| {} {} {} B | {} | {} | {} | {} | {} | {} |".format(
            k[0], k[1], k[2], k[3], fmt(r["ops"]), fmt(base and base["ops"]),
            fmt(r["qmp_p50_ms"]), fmt(r["qmp_p99_ms"]), fmt(base and base["qmp_p99_ms"])))
    P("")


variant_table("x-yield-us=0 (workers never yield)",
              "The same loads with the workers' CPU sharing off (default: a worker yields after 500 us of "
              "back-to-back batches), for the QMP round trip and the throughput it costs.",
              "noyield.jsonl")
variant_table("x-idle-workers=on (SCHED_IDLE workers)",
              "The same loads, the workers under SCHED_IDLE (off by default: a guest whose vCPUs stay busy "
              "would starve its own crypto).",
              "idle.jsonl")

P("## Working set: requests in flight (our device, one queue)")
P("")
P("The loads above keep 8 MiB of source data in flight per queue (at most 1,024 requests); the raw "
  "library figures run on one hot buffer. The same loads with fewer requests in flight show what the "
  "cache footprint of the guest buffers costs.")
P("")
wsn = sorted({int(r["label"][2:]) for r in ws if r.get("type") == "dev"})
P("| load | " + " | ".join("{} in flight".format(n) for n in wsn) + " | raw libgcrypt |")
P("|---|" + "---|" * (len(wsn) + 1))
for alg, op in (("aes-128-cbc", "dec"), ("aes-256-xts", "enc")):
    for size in (4096, 65536):
        cells = []
        for n in wsn:
            r = wsv.get(("ws%d" % n, alg, op, size))
            cells.append("{} MB/s ({} ×)".format(fmt(r["mbps"]), fmt(r["mbps"] / rw("libgcrypt", alg, op, size)["mbps"]))
                         if r and r.get("ok") and rw("libgcrypt", alg, op, size) else
                         (fmt(r["mbps"]) + " MB/s" if r and r.get("ok") else "–"))
        g = rw("libgcrypt", alg, op, size)
        P("| {} {} {} B | {} | {} |".format(alg, op, size, " | ".join(cells), fmt(g and g["mbps"]) + " MB/s"))
P("")

P("## QMP round trip (query-status, ms)")
P("")
P("| device | idle p50 | idle p99 | worst p99 under load | load |")
P("|---|---|---|---|---|")
for label in ("ours", "stock"):
    i = idle.get(label)
    w = None
    for k, r in devv.items():
        if k[0] == label and "skip" not in r and r.get("qmp_n", 0) > 0:
            if w is None or r["qmp_p99_ms"] > w["qmp_p99_ms"]:
                w = r
    P("| {} | {} | {} | {} | {} |".format(label, fmt(i and i["qmp_p50_ms"]), fmt(i and i["qmp_p99_ms"]),
                                          fmt(w and w["qmp_p99_ms"]),
                                          "{}/{} {} B".format(w["alg"], w["op"], w["size"]) if w else "–"))
P("")

P("## Library choice (raw single-core, issue 5 item 2)")
P("")
P("Every primitive in one table (the device-benchmarked ones and raw-only extras: AES-256 modes, CCM, "
  "SHA-384/512, SHA3-256, HMAC-SHA512, CMAC, RSA-4096 decrypt, ECDSA P-384). For symmetric rows the two "
  "libraries' outputs were compared first. ECDSA P-384 uses a fresh key per library.")
P("")
P("| primitive | size | libgcrypt | nettle | faster | factor |")
P("|---|---|---|---|---|---|")
for r in raw:
    if r["lib"] != "libgcrypt":
        continue
    g = rw("libgcrypt", r["alg"], r["op"], r["size"])
    n = rw("nettle", r["alg"], r["op"], r["size"])
    if not g or not n:
        continue
    asym = r["alg"].split("-")[0] in ("rsa", "ecdsa")
    unit = " op/s" if asym else " MB/s"
    gv, nv = (g["ops"], n["ops"]) if asym else (g["mbps"], n["mbps"])
    P("| {} {} | {} | {} | {} | {} | {:.2f}× |".format(r["alg"], r["op"], r["size"], fmt(gv, unit), fmt(nv, unit),
                                                      "libgcrypt" if gv >= nv else "nettle",
                                                      max(gv, nv) / max(min(gv, nv), 1e-9)))
P("")
bad = [r for r in dev if r.get("type") in ("dev", "scale") and "skip" not in r and not r.get("ok")]
if bad:
    P("## FAILED measurements")
    P("")
    for r in bad:
        P("- {} {}/{} {} B q={}: errors {}, wrong outputs {}".format(r["label"], r["alg"], r["op"], r["size"],
                                                                   r["queues"], r.get("errors"),
                                                                   r.get("mismatches")))
    P("")

md = "\n".join(lines) + "\n"
with open(os.path.join(out, "results.md"), "w") as f:
    f.write(md)
sys.stdout.write(md)

# ---------------------------------------------------------------- plots
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    sys.stderr.write("report.py: python3-matplotlib missing, no plots\n")
    sys.exit(0)

algs = []
for a, o, _ in sym:
    if (a, o) not in algs:
        algs.append((a, o))
if algs:
    cols = 4
    rows = (len(algs) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.4 * rows), squeeze=False)
    for i, (a, o) in enumerate(algs):
        ax = axes[i // cols][i % cols]
        sizes = sorted(s for (x, y, s) in sym if x == a and y == o)
        for name, get, style in (("ours", lambda s: d("ours", a, o, s), "o-"),
                                 ("stock", lambda s: d("stock", a, o, s), "s-"),
                                 ("libgcrypt", lambda s: rw("libgcrypt", a, o, s), "^--"),
                                 ("nettle", lambda s: rw("nettle", a, o, s), "v--")):
            pts = [(s, get(s)["mbps"]) for s in sizes if get(s)]
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], style, label=name)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_title("{} {}".format(a, o))
        ax.set_xlabel("request size (bytes)")
        ax.set_ylabel("MB/s")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    for j in range(len(algs), rows * cols):
        axes[j // cols][j % cols].axis("off")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "throughput.png"), dpi=90)
    plt.close(fig)

sc = sorted(k for k in devv if k[0] == "ours" and k[1] == "scale")
if sc:
    fig, ax = plt.subplots(figsize=(6, 4))
    loads = []
    for k in sc:
        if k[2:5] not in loads:
            loads.append(k[2:5])
    for ld in loads:
        pts = [(k[5], devv[k]["ops"]) for k in sc if k[2:5] == ld and d("ours", ld[0], ld[1], ld[2], k[5], "scale")]
        if pts and pts[0][1]:
            ax.plot([p[0] for p in pts], [p[1] / pts[0][1] for p in pts], "o-",
                    label="{} {} {} B".format(*ld))
    ax.plot([1, qmax], [1, qmax], "k:", label="linear")
    ax.set_xlabel("data queues")
    ax.set_ylabel("throughput × one queue")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "scaling.png"), dpi=90)
    plt.close(fig)

fig, ax = plt.subplots(figsize=(10, 4))
names, ours_p, stock_p = [], [], []
for k in sorted(devv):
    if k[0] != "ours" or k[1] != "dev":
        continue
    r = devv[k]
    if "skip" in r or not r.get("qmp_n"):
        continue
    s = devv.get(("stock",) + k[1:])
    names.append("{} {}\n{}".format(k[2], k[3], k[4]))
    ours_p.append(r["qmp_p99_ms"])
    stock_p.append(s["qmp_p99_ms"] if s and "skip" not in s and s.get("qmp_n") else 0)
if names:
    x = range(len(names))
    ax.bar([i - 0.2 for i in x], ours_p, 0.4, label="ours")
    ax.bar([i + 0.2 for i in x], stock_p, 0.4, label="stock")
    ax.axhline(2.0, color="r", linestyle=":", label="target 2 ms")
    ax.set_yscale("log")
    ax.set_ylabel("QMP p99 (ms)")
    ax.set_xticks(list(x))
    ax.set_xticklabels(names, fontsize=5, rotation=90)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "qmp-p99.png"), dpi=90)
plt.close(fig)
