package cebm.toy;

import cebm.io.AtomicFiles;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Frames as a looping animated GIF, with the GIF writer of javax.imageio (no library). A GIF frame
 * holds at most 256 colours: the writer picks a palette for each frame.
 */
final class AnimatedGif {
    private static final String FORMAT = "javax_imageio_gif_image_1.0";

    private AnimatedGif() {}

    /** Writes the frames, each shown for {@code delayMillis}, looping forever. */
    static void write(Path gif, List<BufferedImage> frames, int delayMillis) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        try {
            AtomicFiles.write(gif, out -> {
                try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
                    writer.setOutput(stream);
                    writer.prepareWriteSequence(null);
                    for (BufferedImage frame : frames) {
                        ImageWriteParam param = writer.getDefaultWriteParam();
                        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), param);
                        metadata.setFromTree(FORMAT, frameMetadata(metadata, delayMillis));
                        writer.writeToSequence(new IIOImage(frame, null, metadata), param);
                    }
                    writer.endWriteSequence();
                }
            });
        } finally {
            writer.dispose();
        }
    }

    /** The frame's delay (in hundredths of a second) and, through the NETSCAPE2.0 extension, "loop forever". */
    private static IIOMetadataNode frameMetadata(IIOMetadata metadata, int delayMillis) {
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(FORMAT);
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(delayMillis / 10));
        control.setAttribute("transparentColorIndex", "0");
        IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
        loop.setAttribute("applicationID", "NETSCAPE");
        loop.setAttribute("authenticationCode", "2.0");
        loop.setUserObject(new byte[] {1, 0, 0}); // sub-block 1: loop count 0 = forever
        child(root, "ApplicationExtensions").appendChild(loop);
        return root;
    }

    private static IIOMetadataNode child(IIOMetadataNode parent, String name) {
        for (int i = 0; i < parent.getLength(); i++) {
            if (parent.item(i).getNodeName().equals(name)) return (IIOMetadataNode) parent.item(i);
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        parent.appendChild(node);
        return node;
    }
}
