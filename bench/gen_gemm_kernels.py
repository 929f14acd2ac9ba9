#!/usr/bin/env python3
"""The register-blocked micro-kernels of Gemm64/Gemm32 (see gen_gemm.py): outer-product tiles of 7 down to 1 vectors
by 3 and 1 columns, and dot-product tiles of 4 x 6, 4 x 1, 1 x 6 and 1 x 1."""
import sys
T = sys.argv[1]  # double|float
Box = {'double':'Double','float':'Float'}[T]
VT = Box + 'Vector'
cls = {'double':'Gemm64','float':'Gemm32'}[T]
# outer-product tiles: up to MAX_VECTORS vectors of rows by NR columns (7 x 3 = 21 accumulators, 7 loads and 3
# broadcasts per 21 FMAs: 29 of AVX-512's 32 vector registers)
MAX_VECTORS = 7
NR = 3
def outer_kernel(nv, nr):
    """A tile of nv vectors of C's rows by nr columns: vectors at i, i + V, ..., i + (nv - 2) * V, and the last one at
    `last`, which is i + (nv - 1) * V for a full tile or i1 - V where the rows end inside it (the same values are then
    computed and written twice)."""
    L=[]
    name=f"outer{nv}x{nr}"
    L.append(f"    private static void {name}({T}[] c, int ldc, int i, int last, int j, {T}[] a, int ao, int lda, {T}[] b, int bo, int bsp,")
    L.append(f"            int bsj, int k) {{")
    for jj in range(nr):
        for v in range(nv):
            L.append(f"        {VT} c{jj}_{v} = {VT}.zero(S);")
    if nv > 1:
        L.append("        int ap = i + ao;")
    L.append("        int al = last + ao;")
    L.append("        int bq = j * bsj + bo;")
    step = ("ap += lda, " if nv > 1 else "") + "al += lda, bq += bsp"
    L.append(f"        for (int p = 0; p < k; p++, {step}) {{")
    for v in range(nv):
        off = "al" if v == nv - 1 else ("ap" if v == 0 else ("ap + V" if v == 1 else f"ap + {v} * V"))
        L.append(f"            {VT} a{v} = {VT}.fromArray(S, a, {off});")
    for jj in range(nr):
        idx = "bq" if jj==0 else ("bq + bsj" if jj==1 else f"bq + {jj} * bsj")
        L.append(f"            {VT} b{jj} = {VT}.broadcast(S, b[{idx}]);")
        for v in range(nv):
            L.append(f"            c{jj}_{v} = a{v}.fma(b{jj}, c{jj}_{v});")
    L.append("        }")
    for jj in range(nr):
        col = "j * ldc" if jj == 0 else f"(j + {jj}) * ldc"
        for v in range(nv):
            row = "last" if v == nv - 1 else ("i" if v == 0 else ("i + V" if v == 1 else f"i + {v} * V"))
            L.append(f"        c{jj}_{v}.intoArray(c, {row} + {col});")
    L.append("    }")
    return "\n".join(L)
def dot_kernel(mr, nr):
    L=[]
    L.append(f"    private static void dot{mr}x{nr}({T}[] c, int ldc, int i, int j, {T}[] a, {T}[] b, int k) {{")
    for ii in range(mr):
        for jj in range(nr):
            L.append(f"        {VT} c{ii}_{jj} = {VT}.zero(S);")
    for ii in range(mr):
        L.append(f"        int a{ii}q = (i + {ii}) * k;")
    for jj in range(nr):
        L.append(f"        int b{jj}q = (j + {jj}) * k;")
    L.append("        int kv = k - k % V;")
    L.append("        int p = 0;")
    L.append("        for (; p < kv; p += V) {")
    for ii in range(mr):
        L.append(f"            {VT} a{ii} = {VT}.fromArray(S, a, a{ii}q + p);")
    for jj in range(nr):
        L.append(f"            {VT} b{jj} = {VT}.fromArray(S, b, b{jj}q + p);")
        for ii in range(mr):
            L.append(f"            c{ii}_{jj} = a{ii}.fma(b{jj}, c{ii}_{jj});")
    L.append("        }")
    L.append("        if (p < k) {")
    L.append("            // the last full vector of each column, its lanes already counted weighted by 0 (no masks)")
    L.append(f"            {VT} w = {VT}.fromArray(S, TAIL_WEIGHTS, k - p);")
    L.append("            p = k - V;")
    for ii in range(mr):
        L.append(f"            {VT} a{ii} = {VT}.fromArray(S, a, a{ii}q + p).mul(w);")
    for jj in range(nr):
        L.append(f"            {VT} b{jj} = {VT}.fromArray(S, b, b{jj}q + p);")
        for ii in range(mr):
            L.append(f"            c{ii}_{jj} = a{ii}.fma(b{jj}, c{ii}_{jj});")
    L.append("        }")
    for jj in range(nr):
        for ii in range(mr):
            L.append(f"        c[i + {ii} + (j + {jj}) * ldc] = c{ii}_{jj}.reduceLanes(VectorOperators.ADD);")
    L.append("    }")
    return "\n".join(L)
out=[]
for nv in range(MAX_VECTORS, 0, -1):
    for nr in (NR, 1):
        out.append(outer_kernel(nv, nr))
for mr,nr in [(4,6),(4,1),(1,6),(1,1)]:
    out.append(dot_kernel(mr,nr))
print("\n\n".join(out))
