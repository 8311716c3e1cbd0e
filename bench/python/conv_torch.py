#!/usr/bin/env python3
"""PyTorch peer for `lanes bench conv`: the same cases and passes, timed in the same way (throughput over
repeated calls, median of rounds), printed as GFLOP/s and optionally written as JSON with the same fields.

    /usr/bin/python3 bench/python/conv_torch.py [--threads 1,2] [--json FILE]

Needs PyTorch (Debian: apt-get install python3-torch). FLOPs per pass = 2 N OC OH OW (C/g) KH KW; fwd+bwd
counts 3 passes. bwd_data is the input gradient alone, bwd_weights the weight and bias gradients alone.
"""
import argparse, json, os, tempfile, time
import peer_env  # noqa: F401  (before torch: see peer_env.py)
import torch
import torch.nn.functional as F

# name: (N, C, OC, spatial, kernel, stride, padding, rank)
CASES = {
    "lenet.conv1": (64, 1, 6, (28, 28), 5, 1, 2, 2),
    "lenet.conv2": (64, 6, 16, (14, 14), 5, 1, 0, 2),
    "mid": (32, 64, 64, (32, 32), 3, 1, 1, 2),
    "strided": (32, 64, 128, (32, 32), 3, 2, 1, 2),
    "tdnn": (64, 40, 64, (100,), 5, 1, 0, 1),
}
PASSES = {"fwd": 1, "bwd_data": 1, "bwd_weights": 1, "fwd+bwd": 3}


def flops(case):
    n, c, oc, sp, k, s, p, rank = case
    out = 1
    for d in sp:
        out *= (d + 2 * p - k) // s + 1
    return 2.0 * n * oc * out * c * k ** rank


def make(case):
    n, c, oc, sp, k, s, p, rank = case
    conv = F.conv2d if rank == 2 else F.conv1d
    g = torch.Generator().manual_seed(5)
    x = torch.rand((n, c) + sp, generator=g) * 2 - 1
    w = torch.rand((oc, c) + (k,) * rank, generator=g) * 2 - 1
    b = torch.rand(oc, generator=g) * 2 - 1
    y = conv(x, w, b, stride=s, padding=p)
    dy = torch.rand(y.shape, generator=g) * 2 - 1
    return conv, x, w, b, dy, s, p


def runner(case, pass_):
    conv, x, w, b, dy, s, p = make(case)
    if pass_ == "fwd":
        def run():
            with torch.no_grad():
                conv(x, w, b, stride=s, padding=p)
        return run
    xr = x.clone().requires_grad_(pass_ in ("bwd_data", "fwd+bwd"))
    wr = w.clone().requires_grad_(pass_ in ("bwd_weights", "fwd+bwd"))
    br = b.clone().requires_grad_(pass_ in ("bwd_weights", "fwd+bwd"))
    inputs = [t for t in (xr, wr, br) if t.requires_grad]
    if pass_ == "fwd+bwd":
        def run():
            y = conv(xr, wr, br, stride=s, padding=p)
            torch.autograd.grad(y, inputs, dy)
        return run
    y = conv(xr, wr, br, stride=s, padding=p)          # backward alone: the graph is kept, only grad is timed

    def run():
        torch.autograd.grad(y, inputs, dy, retain_graph=True)
    return run


def measure(run, rounds=7, round_s=0.3):
    for _ in range(3):
        run()
    t0 = time.perf_counter()
    run()
    one = max(time.perf_counter() - t0, 1e-6)
    reps = max(1, int(round_s / one))
    rates = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(reps):
            run()
        rates.append(reps / (time.perf_counter() - t0))
    rates.sort()
    return rates[len(rates) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,%d" % os.cpu_count())
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--json")
    a = ap.parse_args()
    rows = []
    print("PyTorch %s, %s" % (torch.__version__, torch.__config__.show().split("CPU capability usage:")[1].split("\n")[0].strip()
                              if "CPU capability usage:" in torch.__config__.show() else ""))
    for t in sorted({int(v) for v in a.threads.split(",")}):
        torch.set_num_threads(t)
        print("\nConvolution, PyTorch, %d thread%s, GFLOP/s" % (t, "" if t == 1 else "s"))
        for name in a.cases.split(","):
            case = CASES[name]
            for pass_, k in PASSES.items():
                rate = measure(runner(case, pass_))
                gf = rate * flops(case) * k * 1e-9
                print("%-12s %-12s %8.1f  (%.2f ms)" % (name, pass_, gf, 1e3 / rate))
                rows.append({"suite": "conv", "impl": "pytorch", "case": name, "pass": pass_, "threads": t,
                             "gflops": round(gf, 3)})
    if a.json:
        d = os.path.dirname(os.path.abspath(a.json))
        fd, tmp = tempfile.mkstemp(dir=d, prefix=".conv_torch", suffix=".json")
        with os.fdopen(fd, "w") as f:
            json.dump(rows, f, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, a.json)
        print("wrote", a.json)


if __name__ == "__main__":
    main()
