#!/bin/sh
# A launcher that never returns: create_cost must give up after --timeout, not hang.
exec sleep 1000
