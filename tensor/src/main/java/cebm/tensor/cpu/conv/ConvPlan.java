package cebm.tensor.cpu.conv;

import cebm.tensor.Conv2dGeometry;
import cebm.tensor.cpu.parallel.VectorApi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How {@link Conv2dCpu} runs the convolutions of one geometry: chosen once per geometry, kept,
 * and named by {@link #toString}. im2col + GEMM fits every geometry and is what runs without the
 * Vector API; each fast path below fits a family of layer shapes, and the reason is given where
 * it is chosen.
 */
final class ConvPlan {
    /**
     * GEMM columns aimed for per group: 8 micro-tiles of 32. Wider groups fill the last tile better
     * but let the input gradient's patch-matrix gradient outgrow the L2 cache between the GEMM that
     * writes it and the fold that reads it.
     */
    private static final int TARGET_COLUMNS = 256;
    /** Groups per batch at least, so that the work spreads over the cores in even pieces. */
    private static final int MIN_GROUPS = 16;
    private static final Map<Conv2dGeometry, ConvPlan> PLANS = new ConcurrentHashMap<>();

    final Conv2dGeometry g;
    /**
     * One-channel 3×3 layers (an encoder's first): the forward pass and the input gradient by
     * {@link VectorSingleChannelConv}, since as a GEMM their depth would be 9, too shallow to pay.
     */
    final boolean direct;
    /**
     * Stride 2 with 4×4 kernels: the input gradient sums each image row straight from the
     * patch-matrix gradient ({@link VectorStrideTwoFold}) instead of folding it into planes.
     */
    final boolean foldByVectors;
    /** Images per group (the GEMM of a group has about {@link #TARGET_COLUMNS} columns) and groups per batch. */
    final int groupSize, groups;
    private final Im2col full, last;

    private ConvPlan(Conv2dGeometry g) {
        this.g = g;
        direct = VectorApi.AVAILABLE && VectorSingleChannelConv.handles(g);
        foldByVectors = VectorApi.AVAILABLE && VectorStrideTwoFold.handles(g);
        groupSize = Math.max(1, Math.min(TARGET_COLUMNS / Im2col.columns(g, 1), g.batch() / MIN_GROUPS));
        groups = (g.batch() + groupSize - 1) / groupSize;
        full = new Im2col(g, groupSize);
        int rest = g.batch() - (groups - 1) * groupSize;
        last = rest == groupSize ? full : new Im2col(g, rest);
    }

    /** The plan of geometry {@code g}, made on first use. */
    static ConvPlan of(Conv2dGeometry g) {
        return PLANS.computeIfAbsent(g, ConvPlan::new);
    }

    int first(int group) {
        return group * groupSize;
    }

    int images(int group) {
        return Math.min(groupSize, g.batch() - group * groupSize);
    }

    Im2col im2col(int group) {
        return group == groups - 1 ? last : full;
    }

    /**
     * Whether a group's output rows fit one vector: then its outputs are scattered, and its output
     * gradients gathered, a vector at a time ({@link VectorOutputRows}). The last group may differ.
     */
    static boolean rowsByVectors(Im2col im2col) {
        return VectorApi.AVAILABLE && VectorOutputRows.handles(im2col);
    }

    @Override
    public String toString() {
        String gemm = "im2col + GEMM, " + groups + " groups of " + groupSize + " images";
        String rows = rowsByVectors(full) ? ", rows by vectors" : "";
        String forward = direct ? "direct one-channel 3×3" : gemm + rows;
        String inputGrad = direct ? "direct one-channel 3×3" : gemm + rows + (foldByVectors ? ", stride-2 fold by vectors" : ", fold by planes");
        return "forward: " + forward + "; input gradient: " + inputGrad + "; weight gradient: " + gemm;
    }
}
