// The encoder's layer (spec §1, "Encoder architectures": conv + bias + Swish) and the gradients
// of its convolution, NCHW, float32. Built by nvcc.sh into conv_swish.fatbin.
//
//   x [N, C, H, W]   w [F, C, KH, KW]   b [F]   z, y, dout [N, F, OH, OW]
//   OH = (H + 2·pad − KH) / stride + 1, likewise OW; x reads as zero outside the image.
//
//   conv2d_forward      z[n,f,oy,ox] = b[f] + Σ_{c,i,j} w[f,c,i,j]·x[n,c, oy·stride − pad + i, ox·stride − pad + j]
//   conv2d_bias_swish   the same z, and y = swish(z) = z·σ(z) from the same registers
//   conv2d_input_grad   dx[n,c,y,x] = Σ_{f,i,j} dout[n,f,oy,ox]·w[f,c,i,j]
//                       over the taps with oy·stride − pad + i = y, ox·stride − pad + j = x
//   conv2d_weight_grad  partial[z,f,c,i,j] = Σ dout[n,f,oy,ox]·x[n,c, oy·stride − pad + i, ox·stride − pad + j]
//                       over the z-th chunk of the (n, oy, ox) in row-major order
//   sum_partials        dw = Σ_z partial[z], in z order
// (the bias gradient, Σ dout over n, oy, ox, is a plain reduction done elsewhere; the gradient of
// Swish is swishBackward's.)
//
// Each is a matrix product whose second operand is gathered from the tensors on the fly, never
// written out ("implicit GEMM"):
//   forward        z  [F, N·OH·OW] = w  [F, C·KH·KW]  · patches [C·KH·KW, N·OH·OW]
//   input grad     dx [C, N·H·W]   = wᵀ [C, F·KH·KW]  · taps    [F·KH·KW, N·H·W]
//   weight grad    dw [F, C·KH·KW] = dout [F, N·OH·OW] · patchesᵀ [N·OH·OW, C·KH·KW]
// One block of 256 threads computes a 64 × 64 tile of the product (blockIdx.y: rows, blockIdx.x:
// columns), stepping through the depth 16 at a time: the block stages a 64 × 16 slice of each
// operand in shared memory, zero where the index falls outside the matrix, then each thread
// accumulates a 4 × 4 micro-tile in registers. A product is a small struct saying what its
// operands' elements are (a, b) and where a result goes (store); multiply_tile and run_product
// are the one GEMM they share.
//
// Every output element is summed by one thread in a fixed order, so results are deterministic;
// no atomics. The weight gradient's depth (N·OH·OW) is long and its output small, so blocks
// split the depth (blockIdx.z) and write partial sums, which sum_partials adds in a fixed order.
#include "common.cuh"

// The geometry of one convolution: the fields of cebm.tensor.Conv2dGeometry plus the output
// size, in this order (Conv2dCuda.shape builds it).
struct ConvShape {
    int batch, channels, height, width, filters, kernelH, kernelW, stride, padding, outHeight, outWidth;
};

constexpr int TILE = 64;         // rows and columns of a block's tile
constexpr int TILE_DEPTH = 16;   // depth of the operand slices staged in shared memory
constexpr int THREADS = 256;     // per block; Conv2dCuda launches this many
constexpr int MICRO = 4;         // each thread: MICRO × MICRO outputs
constexpr int SIDE = TILE / MICRO;  // 16: threads along each side of the tile
static_assert(SIDE * SIDE == THREADS, "one micro-tile per thread");
static_assert(THREADS % TILE_DEPTH == 0 && THREADS % TILE == 0, "loads spread evenly over the threads");

// Loads per thread and operand: a slice holds TILE × TILE_DEPTH elements.
constexpr int LOADS = TILE * TILE_DEPTH / THREADS;
static_assert(LOADS * THREADS == TILE * TILE_DEPTH, "every slice element is loaded");

// Accumulates acc += A[rows of this block, depthBegin..depthEnd) · B[.., columns of this block]
// for the micro-tile of this thread: rows ty + SIDE·i, columns tx + SIDE·j (i, j < MICRO).
// Interleaving the threads' rows and columns, rather than giving each 4 adjacent ones, makes a
// warp read 16 consecutive words of b's slice and 2 of a's, each shared by several threads: no bank conflicts.
template <class Product>
__device__ void multiply_tile(const Product& product, int depthBegin, int depthEnd, float (&acc)[MICRO][MICRO]) {
    // a's slice is stored transposed, [depth][row], so both slices are read along a row. The
    // extra column spreads its stores (consecutive threads → consecutive depths) over the banks.
    __shared__ float aSlice[TILE_DEPTH][TILE + 1];
    __shared__ float bSlice[TILE_DEPTH][TILE];
    const int t = threadIdx.x, ty = t / SIDE, tx = t % SIDE;
    const int row0 = blockIdx.y * TILE, column0 = blockIdx.x * TILE;

    // Thread t loads a at depth aDepth for rows aRow + r·(THREADS / TILE_DEPTH), and b at column
    // bColumn for depths bDepth + r·(THREADS / TILE): consecutive threads read along A's depth
    // (contiguous in memory for the forward pass and the weight gradient) and along B's columns.
    const int aDepth = t % TILE_DEPTH, aRow = t / TILE_DEPTH;
    const int bColumn = t % TILE, bDepth = t / TILE;
    const int column = column0 + bColumn;
    const bool columnInside = column < product.columns;
    // What b's element depends on through the column alone, worked out once.
    const typename Product::Column at = product.column(columnInside ? column : 0);

    for (int d0 = depthBegin; d0 < depthEnd; d0 += TILE_DEPTH) {
        for (int r = 0; r < LOADS; r++) {
            int row = row0 + aRow + r * (THREADS / TILE_DEPTH), depth = d0 + aDepth;
            aSlice[aDepth][aRow + r * (THREADS / TILE_DEPTH)] =
                    row < product.rows && depth < depthEnd ? product.a(row, depth) : 0.0f;
        }
        for (int r = 0; r < LOADS; r++) {
            int depth = d0 + bDepth + r * (THREADS / TILE);
            bSlice[bDepth + r * (THREADS / TILE)][bColumn] = columnInside && depth < depthEnd ? product.b(at, depth) : 0.0f;
        }
        __syncthreads();
#pragma unroll
        for (int d = 0; d < TILE_DEPTH; d++) {
            float a[MICRO], b[MICRO];
#pragma unroll
            for (int i = 0; i < MICRO; i++) a[i] = aSlice[d][ty + SIDE * i];
#pragma unroll
            for (int j = 0; j < MICRO; j++) b[j] = bSlice[d][tx + SIDE * j];
#pragma unroll
            for (int i = 0; i < MICRO; i++) {
#pragma unroll
                for (int j = 0; j < MICRO; j++) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
            }
        }
        __syncthreads();  // before the next slices overwrite these
    }
}

// This block's tile of the product over depths [depthBegin, depthEnd), each result handed to
// product.store(row, column, value).
template <class Product>
__device__ void run_product(const Product& product, int depthBegin, int depthEnd) {
    float acc[MICRO][MICRO] = {};
    multiply_tile(product, depthBegin, depthEnd, acc);
    const int ty = threadIdx.x / SIDE, tx = threadIdx.x % SIDE;
#pragma unroll
    for (int i = 0; i < MICRO; i++) {
#pragma unroll
        for (int j = 0; j < MICRO; j++) {
            int row = blockIdx.y * TILE + ty + SIDE * i, column = blockIdx.x * TILE + tx + SIDE * j;
            if (row < product.rows && column < product.columns) product.store(row, column, acc[i][j]);
        }
    }
}

// Forward: z [F, N·OH·OW] = w [F, C·KH·KW] · patches; column p is output pixel (n, oy, ox), depth
// k is the tap (c, i, j), and patches[k, p] = x[n, c, oy·stride − pad + i, ox·stride − pad + j].
template <bool Swish>
struct ConvForward {
    ConvShape s;
    const float* x;
    const float* w;
    const float* bias;  // null: no bias
    float* z;
    float* y;           // written only when Swish
    int rows, columns, depth;

    __device__ ConvForward(const ConvShape& s, const float* x, const float* w, const float* bias, float* z, float* y)
        : s(s), x(x), w(w), bias(bias), z(z), y(y), rows(s.filters),
          columns(s.batch * s.outHeight * s.outWidth), depth(s.channels * s.kernelH * s.kernelW) {}

    // Output pixel p's image, and the top-left corner of its receptive field (in the padding when negative).
    struct Column {
        const float* image;
        int top, left;
    };

    __device__ Column column(int p) const {
        int pixels = s.outHeight * s.outWidth, n = p / pixels, pixel = p % pixels;
        return {x + (long long) n * s.channels * s.height * s.width,
                (pixel / s.outWidth) * s.stride - s.padding, (pixel % s.outWidth) * s.stride - s.padding};
    }

    __device__ float a(int f, int k) const { return w[(long long) f * depth + k]; }

    __device__ float b(const Column& at, int k) const {
        int taps = s.kernelH * s.kernelW, c = k / taps, tap = k % taps;
        int iy = at.top + tap / s.kernelW, ix = at.left + tap % s.kernelW;
        bool inside = iy >= 0 && iy < s.height && ix >= 0 && ix < s.width;
        return inside ? at.image[(c * s.height + iy) * s.width + ix] : 0.0f;
    }

    // The epilogue: bias, and Swish from the same register, written to NCHW.
    __device__ void store(int f, int p, float sum) const {
        int pixels = s.outHeight * s.outWidth, n = p / pixels, pixel = p % pixels;
        long long out = ((long long) n * s.filters + f) * pixels + pixel;
        float pre = bias != nullptr ? sum + bias[f] : sum;
        z[out] = pre;
        if constexpr (Swish) y[out] = pre / (1.0f + expf(-pre));
    }
};

// conv2d(x, w, bias): z only. bias may be null.
extern "C" __global__ void __launch_bounds__(THREADS)
conv2d_forward(ConvShape s, const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ bias,
               float* __restrict__ z) {
    ConvForward<false> product(s, x, w, bias, z, nullptr);
    run_product(product, 0, product.depth);
}

// The fused layer: z = conv2d(x, w) + bias and y = swish(z).
extern "C" __global__ void __launch_bounds__(THREADS)
conv2d_bias_swish(ConvShape s, const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ bias,
                  float* __restrict__ z, float* __restrict__ y) {
    ConvForward<true> product(s, x, w, bias, z, y);
    run_product(product, 0, product.depth);
}

// Input gradient, as a gather: input row y receives from output row oy through tap i exactly when
// oy·stride = y + pad − i, so only the taps i ≡ y + pad (mod stride) contribute (likewise x, j).
// The input pixels therefore fall into stride² phases (y mod stride, x mod stride), each with its
// own taps; blockIdx.z is the phase, and within it
//   dx [C, N·H'·W'] = wᵀ [C, F·KH'·KW'] · taps [F·KH'·KW', N·H'·W']
// where H' = the rows y ≡ phaseY, KH' = the taps i ≡ phaseY + pad (likewise W', KW'): column q is
// the input pixel (n, y, x), depth k is (f, i, j), taps[k, q] = dout[n, f, oy, ox] when (oy, ox)
// lies inside the output, else 0. With stride 2 and 4 × 4 kernels this skips the 3 taps in 4 that
// would only multiply zeros.
struct ConvInputGrad {
    ConvShape s;
    const float* gradOut;
    const float* w;
    float* gradIn;
    int phaseY, phaseX;            // y ≡ phaseY, x ≡ phaseX (mod stride)
    int phaseRows, phaseCols;      // H', W': input rows and columns in this phase
    int firstI, firstJ;            // the first tap of this phase; the next are stride apart
    int tapRows, tapCols;          // KH', KW'
    int rows, columns, depth;

    __device__ ConvInputGrad(const ConvShape& s, const float* gradOut, const float* w, float* gradIn)
        : s(s), gradOut(gradOut), w(w), gradIn(gradIn),
          phaseY(blockIdx.z / s.stride), phaseX(blockIdx.z % s.stride),
          phaseRows(in_phase(s.height, phaseY, s.stride)), phaseCols(in_phase(s.width, phaseX, s.stride)),
          firstI((phaseY + s.padding) % s.stride), firstJ((phaseX + s.padding) % s.stride),
          tapRows(in_phase(s.kernelH, firstI, s.stride)), tapCols(in_phase(s.kernelW, firstJ, s.stride)),
          rows(s.channels), columns(s.batch * phaseRows * phaseCols), depth(s.filters * tapRows * tapCols) {}

    // How many of 0..size−1 are ≡ first (mod stride), for 0 ≤ first < stride.
    __device__ static int in_phase(int size, int first, int stride) {
        return first < size ? (size - first + stride - 1) / stride : 0;
    }

    // Input pixel q's image n (its output gradient and its place in dx), and its (y + pad, x + pad).
    struct Column {
        int n, y, x;
    };

    __device__ Column column(int q) const {
        int pixels = phaseRows * phaseCols, pixel = q % pixels;
        return {q / pixels, phaseY + (pixel / phaseCols) * s.stride, phaseX + (pixel % phaseCols) * s.stride};
    }

    // The filter f and the tap (i, j) of depth k.
    __device__ void tap(int k, int& f, int& i, int& j) const {
        int taps = tapRows * tapCols, t = k % taps;
        f = k / taps;
        i = firstI + (t / tapCols) * s.stride;
        j = firstJ + (t % tapCols) * s.stride;
    }

    __device__ float a(int c, int k) const {
        int f, i, j;
        tap(k, f, i, j);
        return w[(((long long) f * s.channels + c) * s.kernelH + i) * s.kernelW + j];
    }

    __device__ float b(const Column& at, int k) const {
        int f, i, j;
        tap(k, f, i, j);
        // Exact divisions: i ≡ y + pad and j ≡ x + pad (mod stride) by the choice of taps.
        int oyStride = at.y + s.padding - i, oxStride = at.x + s.padding - j;
        if (oyStride < 0 || oxStride < 0) return 0.0f;
        int oy = oyStride / s.stride, ox = oxStride / s.stride;
        if (oy >= s.outHeight || ox >= s.outWidth) return 0.0f;
        return gradOut[(((long long) at.n * s.filters + f) * s.outHeight + oy) * s.outWidth + ox];
    }

    __device__ void store(int c, int q, float sum) const {
        Column at = column(q);
        gradIn[(((long long) at.n * s.channels + c) * s.height + at.y) * s.width + at.x] = sum;
    }
};

// dx = the transposed convolution of dout with w; grid z: the stride² phases.
extern "C" __global__ void __launch_bounds__(THREADS)
conv2d_input_grad(ConvShape s, const float* __restrict__ gradOut, const float* __restrict__ w, float* __restrict__ gradIn) {
    ConvInputGrad product(s, gradOut, w, gradIn);
    if (product.columns == 0) return;  // a phase with no input pixels (an image smaller than the stride); the whole block
    run_product(product, 0, product.depth);
}

// Weight gradient: dw [F, C·KH·KW] = dout [F, N·OH·OW] · patchesᵀ; depth r is the output pixel
// (n, oy, ox), column q the tap (c, i, j), patchesᵀ[r, q] = x[n, c, oy·stride − pad + i, ox·stride − pad + j].
// Block z sums the depths [z·chunk, (z + 1)·chunk) into partial[z].
struct ConvWeightGrad {
    ConvShape s;
    const float* gradOut;
    const float* x;
    float* partial;
    int rows, columns, depth;

    __device__ ConvWeightGrad(const ConvShape& s, const float* gradOut, const float* x, float* partial)
        : s(s), gradOut(gradOut), x(x), partial(partial), rows(s.filters),
          columns(s.channels * s.kernelH * s.kernelW), depth(s.batch * s.outHeight * s.outWidth) {}

    // Tap q's input plane (channel c's offset within an image) and its offset from an output pixel's (oy·stride, ox·stride).
    struct Column {
        int plane, dy, dx;
    };

    __device__ Column column(int q) const {
        int taps = s.kernelH * s.kernelW, tap = q % taps;
        return {(q / taps) * s.height * s.width, tap / s.kernelW - s.padding, tap % s.kernelW - s.padding};
    }

    __device__ float a(int f, int r) const {
        int pixels = s.outHeight * s.outWidth;
        return gradOut[((long long) (r / pixels) * s.filters + f) * pixels + r % pixels];
    }

    __device__ float b(const Column& at, int r) const {
        int pixels = s.outHeight * s.outWidth, n = r / pixels, pixel = r % pixels;
        int iy = (pixel / s.outWidth) * s.stride + at.dy, ix = (pixel % s.outWidth) * s.stride + at.dx;
        bool inside = iy >= 0 && iy < s.height && ix >= 0 && ix < s.width;
        return inside ? x[(long long) n * s.channels * s.height * s.width + at.plane + iy * s.width + ix] : 0.0f;
    }

    __device__ void store(int f, int q, float sum) const {
        partial[((long long) blockIdx.z * s.filters + f) * columns + q] = sum;
    }
};

// partial [Z, F, C·KH·KW]: block z sums output pixels [z·chunk, min((z + 1)·chunk, N·OH·OW)).
extern "C" __global__ void __launch_bounds__(THREADS)
conv2d_weight_grad(ConvShape s, int chunk, const float* __restrict__ gradOut, const float* __restrict__ x,
                   float* __restrict__ partial) {
    ConvWeightGrad product(s, gradOut, x, partial);
    int begin = blockIdx.z * chunk, end = begin + chunk < product.depth ? begin + chunk : product.depth;
    run_product(product, begin, end);
}

// out[i] = Σ_z partial[z·n + i] for i < n, z < parts, added in z order.
extern "C" __global__ void sum_partials(long long n, int parts, const float* __restrict__ partial, float* __restrict__ out) {
    GRID_STRIDE_LOOP(i, n) {
        float sum = 0.0f;
        for (int z = 0; z < parts; z++) sum += partial[z * n + i];
        out[i] = sum;
    }
}
