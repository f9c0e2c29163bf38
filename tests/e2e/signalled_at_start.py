#!/usr/bin/env python3
"""signalled_at_start.py SIGNAL PROGRAM [ARGS...]: runs PROGRAM with SIGNAL already pending at its first
instruction, as when a launcher forwards an early scancel or Slurm --signal while the program is still
starting (loading, MPI_Init): the signal is blocked and sent to this process, then the process becomes
PROGRAM (exec keeps both the pending signal and the mask). A program that catches the signal from its
first instant unblocks it and sees it; one that does not never does, or dies of it."""
import os
import signal
import sys

sig = getattr(signal, sys.argv[1])
signal.pthread_sigmask(signal.SIG_BLOCK, {sig})
os.kill(os.getpid(), sig)
os.execv(sys.argv[2], sys.argv[2:])
