"""Imported first by every PyTorch peer, before torch: measures the peer at its best.

glibc gives large freed buffers back to the kernel, and PyTorch allocates its outputs afresh on every call; on the
Zen 5 VM of 2026-12-06 most runs then page-faulted those buffers in again on every call, bimodally from run to run
(torchaudio's log-mel of 10 s: 9-16 ms instead of 0.7 ms; LeNet-5's training step 10-30 % slower). Keeping freed
memory mapped removes that: the process re-executes itself once with glibc's thresholds raised, unless they are
set already (set them to other values to measure otherwise).
"""
import os
import sys

if "MALLOC_MMAP_THRESHOLD_" not in os.environ:
    os.environ.update(MALLOC_MMAP_THRESHOLD_="2000000000", MALLOC_TRIM_THRESHOLD_="2000000000")
    os.execv(sys.executable, [sys.executable] + sys.argv)
