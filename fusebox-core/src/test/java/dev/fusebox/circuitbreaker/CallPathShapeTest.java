package dev.fusebox.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the shape the failure path's speed depends on (issue 15): {@code CallPath.completeWithError} stays
 * over C2's {@code FreqInlineSize} (325 bytes of bytecode), so that C2 compiles it apart rather than into
 * {@code executeSupplier}, which then stays small enough to be inlined into its callers and a failure's
 * rethrow is a jump in the caller's frame. Shrink the method below the limit and FailurePathBenchmark falls
 * back from about 25 ns to over 80; this test says so first.
 */
class CallPathShapeTest {

  /** C2's default on every platform the project supports. */
  private static final int FREQ_INLINE_SIZE = 325;

  @Test
  void theFailurePathIsTooBigForC2ToInline() throws IOException {
    assertThat(codeLength(CallPath.class, "completeWithError")).isGreaterThan(FREQ_INLINE_SIZE);
  }

  @Test
  void theEntryPointsStayUnderFreqInlineSize() throws IOException {
    // What callers inline: if these grew past FreqInlineSize they would not be inlined either.
    assertThat(codeLength(CallPath.class, "threw")).isLessThan(FREQ_INLINE_SIZE);
    assertThat(codeLength(CircuitBreakerImpl.class, "executeSupplier")).isLessThan(FREQ_INLINE_SIZE);
  }

  /** The bytecode length of the longest method named {@code name}, read from the class file. */
  static int codeLength(Class<?> type, String name) throws IOException {
    try (InputStream raw = type.getResourceAsStream(type.getSimpleName() + ".class");
        DataInputStream in = new DataInputStream(raw)) {
      in.readInt(); // magic
      in.readUnsignedShort(); // minor
      in.readUnsignedShort(); // major
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF();
          case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
          case 5, 6 -> {
            in.readLong();
            i++;
          }
          case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
          case 15 -> {
            in.readUnsignedByte();
            in.readUnsignedShort();
          }
          default -> throw new IOException("unknown constant pool tag " + tag);
        }
      }
      in.readUnsignedShort(); // access
      in.readUnsignedShort(); // this
      in.readUnsignedShort(); // super
      int interfaces = in.readUnsignedShort();
      for (int i = 0; i < interfaces; i++) {
        in.readUnsignedShort();
      }
      skipMembers(in);
      int longest = -1;
      int methods = in.readUnsignedShort();
      for (int m = 0; m < methods; m++) {
        in.readUnsignedShort();
        String methodName = utf8[in.readUnsignedShort()];
        in.readUnsignedShort();
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
          String attribute = utf8[in.readUnsignedShort()];
          int length = in.readInt();
          if (attribute.equals("Code") && methodName.equals(name)) {
            in.readUnsignedShort(); // max stack
            in.readUnsignedShort(); // max locals
            int code = in.readInt();
            longest = Math.max(longest, code);
            in.skipNBytes(length - 8);
          } else {
            in.skipNBytes(length);
          }
        }
      }
      if (longest < 0) {
        throw new AssertionError(type.getName() + " has no method " + name);
      }
      return longest;
    }
  }

  private static void skipMembers(DataInputStream in) throws IOException {
    int members = in.readUnsignedShort();
    for (int m = 0; m < members; m++) {
      in.readUnsignedShort();
      in.readUnsignedShort();
      in.readUnsignedShort();
      int attributes = in.readUnsignedShort();
      for (int a = 0; a < attributes; a++) {
        in.readUnsignedShort();
        in.skipNBytes(in.readInt());
      }
    }
  }
}
