package cebm.tensor;

import cebm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Ops whose outputs come from recycled (not zeroed) arrays must still write every element: the
 * second scope below reuses arrays full of the first scope's results, and must give exactly what
 * the same ops give on fresh arrays.
 */
class WorkspaceTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;

    /** A mix of every kind of op a training step uses; returns copies of the results. */
    private static List<float[]> ops(Tensor x) {
        Tensor w = new RandomStream(5).uniform(CPU, -1f, 1f, 6, 8, 4, 4);
        Tensor b = new RandomStream(6).uniform(CPU, -1f, 1f, 6);
        Tensor[] yz = Ops.conv2dBiasSwish(x, w, b, 2, 1);
        var g = cebm.tensor.Conv2dGeometry.of("test", x.shape(), w.shape(), 2, 1);
        Tensor dz = CPU.swishBackward(yz[0], yz[1]);
        Tensor flat = yz[0].reshape(x.size(0), -1);
        List<float[]> out = new ArrayList<>();
        for (Tensor t : new Tensor[] {yz[0], yz[1], dz, CPU.conv2dInputGrad(dz, w, g), CPU.conv2dWeightGrad(dz, x, g),
                Ops.matmul(flat, flat.transpose(0, 1)), Ops.sum(flat, 1), Ops.max(flat, 0), Ops.argmax(flat, 1),
                Ops.exp(Ops.neg(flat)), Ops.add(flat, Ops.sum(flat, 0)), CPU.gatherRows(x, new int[] {1, 0}),
                x.permute(0, 2, 3, 1).contiguous(), CPU.normal(new int[] {7}, 0f, 1f, 1, 2)}) {
            out.add(t.toArray());
        }
        return out;
    }

    @Test
    void recycledArraysGiveTheSameResultsAsFreshOnes() {
        Function<Long, Tensor> input = seed -> new RandomStream(seed).uniform(CPU, -1f, 1f, 2, 8, 9, 9);
        List<float[]> expected = ops(input.apply(2L));
        Workspace workspace = new Workspace();
        try (Workspace.Scope first = workspace.enter()) {
            ops(input.apply(1L));
        }
        List<float[]> recycled;
        try (Workspace.Scope second = workspace.enter()) {
            recycled = ops(input.apply(2L));
        }
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), recycled.get(i), "result " + i);
    }

    /** Poisoning is on in the build's test runs (the parent pom); the test says so where it is not. */
    @Test
    void aTensorUsedAfterItsScopeReadsNaN() {
        assumeTrue(Boolean.getBoolean("cebm.workspace.poison"), "run without -Dcebm.workspace.poison=true");
        Workspace workspace = new Workspace();
        Tensor escaped;
        try (Workspace.Scope scope = workspace.enter()) {
            escaped = Ops.exp(new RandomStream(3).uniform(CPU, -1f, 1f, 4, 5));
            assertTrue(Float.isFinite(escaped.toArray()[0]), "inside its scope the tensor holds numbers");
        }
        for (float v : escaped.toArray()) assertTrue(Float.isNaN(v), "after its scope: " + v);
    }

    @Test
    void aWorkspaceCannotBeEnteredTwice() {
        Workspace workspace = new Workspace();
        try (Workspace.Scope scope = workspace.enter()) {
            assertThrows(IllegalStateException.class, workspace::enter);
        }
    }
}
