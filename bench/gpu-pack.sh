#!/usr/bin/env bash
# Prepare what bench/gpu.sh needs on a GPU machine that has no internet (run here, where pip works).
# The image there has torch and transformers but not Kiwi, trafilatura or sacremoses; Kiwi's model
# (about 80 MB even compressed) is over one call's 64 MiB, so it travels in two parts:
#   .gpu-carry/1/  first part of the Kiwi model
#   .gpu-carry/2/  second part, and the wheels (Python 3.12, manylinux x86_64)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
rm -rf .gpu-carry && mkdir -p .gpu-carry/1 .gpu-carry/2/wheels
grep -qx '/.gpu-carry/' .git/info/exclude 2>/dev/null || echo '/.gpu-carry/' >> .git/info/exclude
plat=(--platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64
      --platform manylinux2014_x86_64 --platform manylinux1_x86_64)
for pkg in kiwipiepy==0.24.1 trafilatura==2.3.1 justext htmldate courlan dateparser tld lxml_html_clean sacremoses \
           babel pytz tzlocal; do
  python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
    "${plat[@]}" -d .gpu-carry/2/wheels "$pkg"
done
model_dir=$("$PY" -c 'import kiwipiepy_model, os; print(os.path.dirname(kiwipiepy_model.__file__))')
tar -C "$(dirname "$model_dir")" --exclude=__pycache__ -cf - kiwipiepy_model | xz -T2 -6 > .gpu-carry/kiwi.tar.xz
split -b 52M .gpu-carry/kiwi.tar.xz .gpu-carry/kiwi.tar.xz.part-
mv .gpu-carry/kiwi.tar.xz.part-aa .gpu-carry/1/
mv .gpu-carry/kiwi.tar.xz.part-* .gpu-carry/2/
rm .gpu-carry/kiwi.tar.xz
du -sh .gpu-carry/1 .gpu-carry/2
