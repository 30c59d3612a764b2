package cebm.autograd;

import cebm.autograd.ops.Add;
import cebm.autograd.ops.Mul;
import cebm.autograd.ops.Sum;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphDotTest {
    @Test
    void drawsOpsShapesAndTheGradientsOfATinyExpression() {
        // L = Σ (w·w + w·c), w = [2, 3], c = [10, 20]: ∂L/∂w = 2w + c = [14, 26].
        Variable w = Variable.parameter(Tensors.of(new float[] {2, 3}, 2));
        Variable c = Variable.constant(Tensors.of(new float[] {10, 20}, 2));
        Variable square = Mul.apply(w, w);
        Variable loss = Sum.apply(Add.apply(square, Mul.apply(w, c)));
        GraphDot graph = GraphDot.of(loss).name(w, "w").name(loss, "L");
        String before = graph.toDot();
        assertFalse(before.contains("grad"), "no gradient is shown before the backward pass:\n" + before);

        loss.backward(graph);
        String dot = graph.toDot();
        assertTrue(dot.startsWith("digraph tape {") && dot.strip().endsWith("}"), dot);
        for (String expected : List.of("label=\"Mul\"", "label=\"Add\"", "label=\"Sum\"", "w\\n[2] parameter\\nvalue [2, 3]\\ngrad [14, 26]",
                "[2] constant\\nvalue [10, 20]", "L\\n[]\\nvalue [93]\\ngrad [1]", "[2]\\nvalue [4, 9]\\ngrad [1, 1]")) {
            assertTrue(dot.contains(expected), "missing " + expected + " in\n" + dot);
        }
        // Nodes are numbered in topological order: w = v0, and w·w = v1 is made by op1, which w enters twice.
        assertTrue(dot.contains("v0 -> op1 [label=\"0\"]") && dot.contains("v0 -> op1 [label=\"1\"]"), dot);
        assertArrayEquals(new float[] {14, 26}, graph.gradientOf(w).toArray());
        assertArrayEquals(new float[] {14, 26}, w.grad().toArray(), "the observer does not change the backward pass");
        assertNull(graph.gradientOf(c), "a constant gets no gradient");
    }

    @Test
    void theObserverSeesEachNodeOnceWithItsCompleteGradient() {
        Variable x = Variable.parameter(Tensors.of(new float[] {3f}, 1));
        Variable y = Sum.apply(Add.apply(Mul.apply(x, x), x)); // dy/dx = 2x + 1 = 7
        List<Variable> seen = new ArrayList<>();
        List<Float> grads = new ArrayList<>();
        y.backward((node, grad) -> {
            seen.add(node);
            if (node == x) grads.add(grad.item());
        });
        assertEquals(List.of(7f), grads, "x is used twice, and seen once, with the sum of both gradients");
        assertEquals(4, seen.size(), "y, x² + x, x² and x, each once: " + seen);
    }
}
