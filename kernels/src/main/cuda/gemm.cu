// Single-precision matrix product, our own tiled SGEMM (no cuBLAS: see CudaProbe.cublasStatus):
//
//   sgemm(batch, M, N, K, a, a_batch, a_row, a_col, b, b_batch, b_row, b_col, c):
//       c[p, m, n] = Σ_k a[p, m, k] · b[p, k, n]      for p < batch, m < M, n < N
// A [batch, M, K] and B [batch, K, N] are read through their strides (element (p, m, k) of A at
// a + p·a_batch + m·a_row + k·a_col), so transposed views need no copy and a_batch = 0 reuses one
// matrix for every p; C is dense [batch, M, N].
//
// Each block computes a TILE × TILE tile of C with 16 × 16 threads, each thread a MICRO × MICRO
// micro-tile (rows ty + 16·i, columns tx + 16·j: a warp's shared-memory reads are then broadcasts
// or consecutive, and its stores to C consecutive). K is walked in steps of TILE_K: the block
// loads a TILE_K × TILE slice of A and of B into shared memory, then each thread does
// MICRO² multiply-adds per k from MICRO + MICRO values in registers. Tiles at the edges are
// padded with zeros, so any M, N, K works. Grid: (⌈M/TILE⌉, ⌈N/TILE⌉, min(batch, 65535)).
#include "common.cuh"

#define TILE 64
#define TILE_K 16
#define SIDE 16                  // threads per side of a block
#define THREADS (SIDE * SIDE)
#define MICRO (TILE / SIDE)      // 4

// Loads the TILE_K × TILE slice of an operand starting at (k0, mn0) into tile[k][mn], zeros past
// its edges (K along k, MN along mn). Neighbouring threads take neighbouring elements along the
// operand's contiguous direction, so the loads coalesce whether it is stored plainly or transposed.
__device__ __forceinline__ void load_tile(float (*tile)[TILE + 1], const float* __restrict__ src, int k0, int K,
                                          int mn0, int MN, int k_stride, int mn_stride, int thread) {
    bool k_contiguous = k_stride == 1;
#pragma unroll
    for (int l = 0; l < TILE * TILE_K / THREADS; l++) {
        int e = thread + l * THREADS;
        int k = k_contiguous ? e % TILE_K : e / TILE;
        int mn = k_contiguous ? e / TILE_K : e % TILE;
        int gk = k0 + k, gmn = mn0 + mn;
        tile[k][mn] = gk < K && gmn < MN ? src[(long long) gk * k_stride + (long long) gmn * mn_stride] : 0.0f;
    }
}

extern "C" __global__ void __launch_bounds__(THREADS) sgemm(int batch, int M, int N, int K,
        const float* __restrict__ a, long long a_batch, int a_row, int a_col,
        const float* __restrict__ b, long long b_batch, int b_row, int b_col, float* __restrict__ c) {
    // NOTE: rows padded by one float: a warp's stores along k would otherwise hit one bank 16 times.
    __shared__ float a_tile[TILE_K][TILE + 1];  // a_tile[k][m]
    __shared__ float b_tile[TILE_K][TILE + 1];  // b_tile[k][n]
    int tx = threadIdx.x, ty = threadIdx.y, thread = ty * SIDE + tx;
    int row0 = blockIdx.x * TILE, col0 = blockIdx.y * TILE;
    for (int p = blockIdx.z; p < batch; p += gridDim.z) {
        const float* ap = a + p * a_batch;
        const float* bp = b + p * b_batch;
        float acc[MICRO][MICRO] = {};
        for (int k0 = 0; k0 < K; k0 += TILE_K) {
            load_tile(a_tile, ap, k0, K, row0, M, a_col, a_row, thread);
            load_tile(b_tile, bp, k0, K, col0, N, b_row, b_col, thread);
            __syncthreads();
#pragma unroll
            for (int k = 0; k < TILE_K; k++) {
                float a_frag[MICRO], b_frag[MICRO];
#pragma unroll
                for (int i = 0; i < MICRO; i++) a_frag[i] = a_tile[k][ty + i * SIDE];
#pragma unroll
                for (int j = 0; j < MICRO; j++) b_frag[j] = b_tile[k][tx + j * SIDE];
#pragma unroll
                for (int i = 0; i < MICRO; i++) {
#pragma unroll
                    for (int j = 0; j < MICRO; j++) acc[i][j] = fmaf(a_frag[i], b_frag[j], acc[i][j]);
                }
            }
            __syncthreads();  // the tiles are overwritten next
        }
        float* cp = c + (long long) p * M * N;
#pragma unroll
        for (int i = 0; i < MICRO; i++) {
            int m = row0 + ty + i * SIDE;
#pragma unroll
            for (int j = 0; j < MICRO; j++) {
                int n = col0 + tx + j * SIDE;
                if (m < M && n < N) cp[(long long) m * N + n] = acc[i][j];
            }
        }
    }
}
