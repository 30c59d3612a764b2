package cebm.guide;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guides cannot drift from the code: every code excerpt is the region of a source file that
 * the build compiles, every shown output is what the example prints when run here, and every
 * picture exists. {@code -Dguides.write=true} rewrites the quoted blocks from the sources instead
 * of checking them (then read the diff).
 */
class GuidesTest {
    private static final Pattern IMAGE = Pattern.compile("!\\[[^]]*]\\(([^)]+)\\)");
    private static final long MAX_IMAGE_BYTES = 200 * 1024;

    @Test
    void everyQuotedBlockIsWhatItsMarkerNames() throws Exception {
        boolean write = Boolean.getBoolean("guides.write");
        List<Path> guides = Guides.guides();
        assertFalse(guides.isEmpty(), "no guides in " + Guides.DOCS);
        int checked = 0;
        for (Path guide : guides) {
            if (write) Guides.rewrite(guide);
            for (Guides.Quote quote : Guides.quotes(guide)) {
                assertEquals(String.join("\n", quote.expected()), String.join("\n", quote.shown()),
                        quote.where() + " differs from its source; run the tests with -Dguides.write=true to update it");
                assertEquals(quote.expectedFence(), quote.fence(), quote.where() + ": fenced in the wrong language");
                checked++;
            }
        }
        assertTrue(checked > 0, "no quoted blocks found");
    }

    @Test
    void noGuideShowsCodeThatIsNotQuotedFromASource() throws Exception {
        for (Path guide : Guides.guides()) {
            assertEquals(List.of(), Guides.unmarkedCodeBlocks(guide), guide + ": java or cuda blocks without an include marker");
        }
    }

    @Test
    void everyPictureExistsAndIsSmall() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Path guide : Guides.guides()) {
            Matcher m = IMAGE.matcher(Files.readString(guide));
            while (m.find()) {
                Path image = guide.resolveSibling(m.group(1));
                if (!Files.isRegularFile(image)) problems.add(guide.getFileName() + ": missing " + m.group(1));
                else if (Files.size(image) > MAX_IMAGE_BYTES) problems.add(guide.getFileName() + ": " + m.group(1) + " is over 200 KB");
            }
        }
        assertEquals(List.of(), problems);
    }
}
