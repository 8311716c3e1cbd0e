#!/usr/bin/env python3
"""PyTorch peer for `lanes bench studio`: the playground's training step for the same networks (2 inputs, hidden
tanh layers, 1 output; binary cross-entropy with logits; plain SGD at lr 0.03, batch 10, no regularisation) on
250 random training points, one thread; steps per second, the median of rounds. Also the forward pass of a
100 x 100 grid through the network keeping every hidden layer's output (the compute of one frame, without
serialising it).

    /usr/bin/python3 bench/python/playground_torch.py [--networks "8,8;8,8,8,8,8,8"] [--json FILE]
"""
import argparse, json, time
import peer_env  # noqa: F401  (before torch: see peer_env.py)
import torch
import torch.nn as nn


def network(hidden):
    layers, width = [], 2
    for h in hidden:
        layers += [nn.Linear(width, h), nn.Tanh()]
        width = h
    layers.append(nn.Linear(width, 1))
    return nn.Sequential(*layers)


def rate(fn, per_call, rounds=7, round_s=0.5):
    for _ in range(200):
        fn()
    t0 = time.perf_counter()
    fn()
    reps = max(1, int(round_s / max(time.perf_counter() - t0, 1e-7)))
    rates = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        rates.append(reps * per_call / (time.perf_counter() - t0))
    rates.sort()
    return rates[len(rates) // 2]


def measure(hidden):
    torch.manual_seed(1)
    model = network(hidden)
    g = torch.Generator().manual_seed(3)
    points = torch.rand((250, 2), generator=g) * 12 - 6
    labels = (points.norm(dim=1, keepdim=True) < 3).float()
    opt = torch.optim.SGD(model.parameters(), lr=0.03)
    loss_fn = nn.BCEWithLogitsLoss()
    at = [0]

    def step():
        i = at[0]
        at[0] = (i + 10) % 250
        opt.zero_grad()
        loss_fn(model(points[i:i + 10]), labels[i:i + 10]).backward()
        opt.step()

    grid = torch.stack(torch.meshgrid(torch.linspace(-6, 6, 100), torch.linspace(6, -6, 100), indexing="xy"),
                       dim=-1).reshape(-1, 2)

    def frame():
        with torch.no_grad():
            h, kept = grid, []
            for layer in model:
                h = layer(h)
                if isinstance(layer, nn.Tanh):
                    kept.append(h)
            torch.sigmoid(h)

    return rate(step, 1), 1000 / rate(frame, 1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--networks", default="8,8;8,8,8,8,8,8")
    p.add_argument("--json")
    a = p.parse_args()
    torch.set_num_threads(1)
    out = []
    print("PyTorch %s, 1 thread: playground steps (batch 10) and one frame's forward pass" % torch.__version__)
    print("%-16s %14s %16s" % ("hidden layers", "steps/s", "grid forward ms"))
    for n in a.networks.split(";"):
        steps, ms = measure([int(h) for h in n.split(",")])
        print("%-16s %14s %16.3f" % (n, "{:,.0f}".format(steps), ms))
        out.append({"suite": "studio", "impl": "pytorch", "hidden": n, "batch": 10, "steps_per_s": round(steps),
                    "grid_forward_ms": round(ms, 4), "torch": torch.__version__})
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
