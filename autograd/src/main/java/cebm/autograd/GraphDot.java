package cebm.autograd;

import cebm.tensor.Ops;
import cebm.tensor.Shape;
import cebm.tensor.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tape made visible: the graph behind a {@link Variable}, written as Graphviz DOT text, with
 * a box per variable (its name if given, shape, and whether it is a parameter, a constant or the
 * result of an op), an ellipse per op ({@link Function#name()}), and an arrow from each input to
 * the op and from the op to its result. Passed to {@link Variable#backward(Tape.GradientObserver)},
 * it also records the gradient that reached each node, and the boxes show it: the values when the
 * tensor has at most four elements, else the gradient's Euclidean norm.
 *
 * <p>The tape frees the graph during backward, so the structure is copied when this object is
 * made, before the backward pass:
 * <pre>{@code
 * Variable w = Variable.parameter(Tensors.of(new float[] {2, 3}, 2));
 * Variable loss = Sum.apply(Mul.apply(w, w));
 * GraphDot graph = GraphDot.of(loss).name(w, "w");
 * loss.backward(graph);                  // w.grad() = 2w = [4, 6], and the graph saw it
 * String dot = graph.toDot();            // dot -Tsvg to draw it
 * }</pre>
 */
public final class GraphDot implements Tape.GradientObserver {
    private static final int SHOWN_ELEMENTS = 4;

    private final List<Variable> order;
    private final Map<Variable, Integer> ids = new IdentityHashMap<>();
    private final Map<Variable, String> names = new IdentityHashMap<>();
    private final Map<Variable, Tensor> gradients = new IdentityHashMap<>();
    /** Per node (by id): the op that made it, or null for a leaf. */
    private final String[] ops;
    /** Per node (by id): the ids of the op's inputs, in order. */
    private final int[][] inputs;

    private GraphDot(Variable output) {
        order = Tape.topologicalOrder(output);
        for (int i = 0; i < order.size(); i++) ids.put(order.get(i), i);
        ops = new String[order.size()];
        inputs = new int[order.size()][];
        for (int i = 0; i < order.size(); i++) {
            Function op = order.get(i).creator();
            if (op == null) continue;
            ops[i] = op.name();
            Variable[] in = op.inputs();
            inputs[i] = new int[in.length];
            for (int k = 0; k < in.length; k++) inputs[i][k] = ids.get(in[k]);
        }
    }

    /** Copies the graph that {@code output} was computed by (call it before the backward pass). */
    public static GraphDot of(Variable output) {
        return new GraphDot(output);
    }

    /** Shows {@code name} on the box of {@code v} (a parameter's name, say); returns this. */
    public GraphDot name(Variable v, String name) {
        names.put(v, name);
        return this;
    }

    @Override
    public void gradient(Variable node, Tensor grad) {
        if (ids.containsKey(node)) gradients.put(node, grad);
    }

    /** The gradient recorded for {@code v} during backward, or null if none reached it. */
    public Tensor gradientOf(Variable v) {
        return gradients.get(v);
    }

    /** The graph in the DOT language: inputs at the top, the output at the bottom. */
    public String toDot() {
        StringBuilder dot = new StringBuilder("digraph tape {\n");
        dot.append("  node [fontname=\"Helvetica\", fontsize=10];\n");
        dot.append("  edge [fontname=\"Helvetica\", fontsize=8, color=\"#555555\"];\n");
        for (int i = 0; i < order.size(); i++) {
            dot.append(String.format("  v%d [shape=box, style=\"rounded,filled\", fillcolor=\"%s\", label=\"%s\"];%n",
                    i, fill(i), escape(variableLabel(i))));
            if (ops[i] == null) continue;
            dot.append(String.format("  op%d [shape=ellipse, style=filled, fillcolor=\"#fff2cc\", label=\"%s\"];%n", i, escape(ops[i])));
            for (int k = 0; k < inputs[i].length; k++) {
                String label = inputs[i].length > 1 ? String.format(" [label=\"%d\"]", k) : "";
                dot.append(String.format("  v%d -> op%d%s;%n", inputs[i][k], i, label));
            }
            dot.append(String.format("  op%d -> v%d;%n", i, i));
        }
        return dot.append("}\n").toString();
    }

    /** Name, shape and kind, the value if small, and the gradient once one has been recorded. */
    private String variableLabel(int i) {
        Variable v = order.get(i);
        List<String> lines = new ArrayList<>();
        if (names.containsKey(v)) lines.add(names.get(v));
        String kind = ops[i] != null ? "" : v.requiresGrad() ? " parameter" : " constant";
        lines.add(Shape.show(v.shape()) + kind);
        if (v.value().numel() <= SHOWN_ELEMENTS) lines.add("value " + show(v.value()));
        Tensor g = gradients.get(v);
        if (g != null) lines.add(g.numel() <= SHOWN_ELEMENTS ? "grad " + show(g) : "|grad| " + number(norm(g)));
        return String.join("\n", lines);
    }

    /** Parameters blue, constants grey, results of ops white. */
    private String fill(int i) {
        if (ops[i] != null) return "#ffffff";
        return order.get(i).requiresGrad() ? "#cfe2f3" : "#eeeeee";
    }

    private static String show(Tensor t) {
        float[] values = t.toArray();
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) s.append(i == 0 ? "" : ", ").append(number(values[i]));
        return s.append("]").toString();
    }

    /** Four significant digits, without trailing zeros: 4, 0.5, 1.235e-05. */
    private static String number(double x) {
        String s = String.format(Locale.ROOT, "%.4g", x);
        if (s.contains("e") || !s.contains(".")) return s;
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static double norm(Tensor t) {
        return Math.sqrt(Ops.sum(Ops.square(t)).item());
    }

    /** DOT string escapes: backslash and quote escaped, line breaks as \n. */
    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
