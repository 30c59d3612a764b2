#!/usr/bin/env bash
# Prints one hash of the sources a build is made from (the POMs, nvcc.sh and every module's src/),
# the same here and on the GPU machine, which has no git: prepare.sh stores it in the bundle, and
# on-device.sh refuses a bundle built from other sources than the tree it runs in.
# Run from the repository root.
set -euo pipefail
find pom.xml ./*/pom.xml kernels/nvcc.sh ./*/src -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16
