// Philox4x32-10 (Salmon et al., SC'11, "Parallel random numbers: as easy as 1, 2, 3"), word for
// word as tensor/src/main/java/cebm/tensor/Philox.java, so that (seed, counter) gives the same
// numbers on the GPU as on the CPU. A block of four 32-bit words is a pure function of its
// counter and the key, so every thread computes the blocks it needs on its own.
//
//   key = (seed_lo, seed_hi), counter = (counter_lo, counter_hi, 0, 0)
//   uniform word w  → (w >> 8) · 2^-24            in [0, 1)
//   normal pair     → Box–Muller on lanes 0 and 1: r = sqrt(−2 ln u1), (r cos 2πu2, r sin 2πu2),
//                     with u1 = ((w0 >> 8) + 1) · 2^-24 in (0, 1] and u2 = unit(w1)
// Standard normal number i of a stream is component i % 2 of the pair from block counter + i / 2.
#pragma once

struct PhiloxWords {
    unsigned int v[4];
};

// Block number `counter` under `seed` (Philox.block(long, long, int[])).
__device__ __forceinline__ PhiloxWords philox_block(unsigned long long seed, unsigned long long counter) {
    const unsigned int M0 = 0xD2511F53u, M1 = 0xCD9E8D57u;  // round multipliers
    const unsigned int W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;  // key schedule (Weyl sequence)
    unsigned int c0 = (unsigned int) counter, c1 = (unsigned int) (counter >> 32), c2 = 0, c3 = 0;
    unsigned int k0 = (unsigned int) seed, k1 = (unsigned int) (seed >> 32);
#pragma unroll
    for (int round = 0; round < 10; round++) {
        unsigned int hi0 = __umulhi(M0, c0), lo0 = M0 * c0;
        unsigned int hi1 = __umulhi(M1, c2), lo1 = M1 * c2;
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
        k0 += W0;
        k1 += W1;
    }
    return PhiloxWords{{c0, c1, c2, c3}};
}

// 2^-24: uniform floats take the top 24 bits of a word, the float mantissa's full precision.
#define PHILOX_TWO_POW_MINUS_24 (1.0f / 16777216.0f)

// Uniform on [0, 1) (Philox.toUnit); exact, since a 24-bit integer times 2^-24 is a float.
__device__ __forceinline__ float philox_unit(unsigned int word) {
    return (float) (word >> 8) * PHILOX_TWO_POW_MINUS_24;
}

// Uniform on (0, 1] (Philox.toUnitOpenAtZero): safe under a logarithm.
__device__ __forceinline__ float philox_unit_open_at_zero(unsigned int word) {
    return (float) ((word >> 8) + 1) * PHILOX_TWO_POW_MINUS_24;
}

// Standard normals 2·pair and 2·pair + 1 of the stream (seed, counter).
// NOTE: in double, as Philox.boxMuller is: the operations and their order are Java's, so the
// results differ from the CPU's only where CUDA's log/sin/cos (1–2 ulp in double) and Java's
// (1 ulp) round differently and that difference survives the rounding to float: rarely, and
// then by one float ulp (≤ 4.8e-7 for |z| < 8; |z| ≤ sqrt(−2 ln 2^-24) ≈ 5.8 always). The products
// are written as __dmul_rn, which nvcc never fuses with a neighbouring addition (inside sincos, say).
__device__ __forceinline__ float2 normal_pair(unsigned long long seed, unsigned long long counter,
                                              unsigned long long pair) {
    PhiloxWords w = philox_block(seed, counter + pair);
    double r = sqrt(__dmul_rn(-2.0, log((double) philox_unit_open_at_zero(w.v[0]))));
    double theta = __dmul_rn(2.0 * 3.141592653589793, (double) philox_unit(w.v[1]));  // 2·Math.PI·u2
    double sin_theta, cos_theta;
    sincos(theta, &sin_theta, &cos_theta);
    return make_float2((float) __dmul_rn(r, cos_theta), (float) __dmul_rn(r, sin_theta));
}
