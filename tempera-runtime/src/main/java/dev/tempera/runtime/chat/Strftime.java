package dev.tempera.runtime.chat;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;

/**
 * Python's {@code datetime.strftime} on Linux (glibc, C locale) for a naive local date-time, which is what
 * transformers' {@code strftime_now(fmt)} calls: {@code datetime.now().strftime(fmt)}. Llama 3.x templates use it
 * for the "Today Date" line ({@code "%d %b %Y"} → {@code 26 Jul 2024}).
 *
 * <p>Supported: {@code %a %A %b %h %B %c %C %d %D %e %F %G %H %I %j %m %M %n %p %R %S %t %T %u %U %V %w %W %x %X
 * %y %Y %f %%}, and glibc's {@code -} flag that drops padding ({@code %-d} → {@code 5}). {@code %z} and {@code %Z}
 * are empty, as for Python's naive {@code datetime.now()}. An unknown directive is written unchanged, as glibc does.
 */
final class Strftime {

    private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December"};

    private Strftime() {}

    static String format(LocalDateTime t, String format) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                out.append(c);
                i++;
                continue;
            }
            int start = i;
            i++;
            boolean pad = true;
            if (format.charAt(i) == '-' && i + 1 < format.length()) {
                pad = false;
                i++;
            }
            char d = format.charAt(i);
            i++;
            String value = directive(t, d, pad);
            out.append(value != null ? value : format.substring(start, i));
        }
        return out.toString();
    }

    private static String directive(LocalDateTime t, char d, boolean pad) {
        DayOfWeek dow = t.getDayOfWeek();
        int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
        switch (d) {
            case 'a': return DAYS[dow.getValue() - 1].substring(0, 3);
            case 'A': return DAYS[dow.getValue() - 1];
            case 'b': case 'h': return MONTHS[t.getMonthValue() - 1].substring(0, 3);
            case 'B': return MONTHS[t.getMonthValue() - 1];
            case 'c': return format(t, "%a %b %e %H:%M:%S %Y");
            case 'C': return num(t.getYear() / 100, 2, pad);
            case 'd': return num(t.getDayOfMonth(), 2, pad);
            case 'D': case 'x': return format(t, "%m/%d/%y");
            case 'e': return pad ? String.format("%2d", t.getDayOfMonth()) : Integer.toString(t.getDayOfMonth());
            case 'F': return format(t, "%Y-%m-%d");
            case 'G': return Integer.toString(t.get(IsoFields.WEEK_BASED_YEAR));
            case 'H': return num(t.getHour(), 2, pad);
            case 'I': return num(hour12, 2, pad);
            case 'j': return num(t.getDayOfYear(), 3, pad);
            case 'm': return num(t.getMonthValue(), 2, pad);
            case 'M': return num(t.getMinute(), 2, pad);
            case 'n': return "\n";
            case 'p': return t.getHour() < 12 ? "AM" : "PM";
            case 'R': return format(t, "%H:%M");
            case 'S': return num(t.getSecond(), 2, pad);
            case 't': return "\t";
            case 'T': case 'X': return format(t, "%H:%M:%S");
            case 'u': return Integer.toString(dow.getValue());
            case 'U': return num((t.getDayOfYear() + 6 - (dow.getValue() % 7)) / 7, 2, pad);
            case 'V': return num(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, pad);
            case 'w': return Integer.toString(dow.getValue() % 7);
            case 'W': return num((t.getDayOfYear() + 6 - (dow.getValue() - 1)) / 7, 2, pad);
            case 'y': return num(t.getYear() % 100, 2, pad);
            case 'Y': return Integer.toString(t.getYear());
            case 'f': return num(t.get(ChronoField.MICRO_OF_SECOND), 6, pad);
            case 'z': case 'Z': return "";
            case '%': return "%";
            default: return null;
        }
    }

    private static String num(int value, int width, boolean pad) {
        String s = Integer.toString(value);
        return pad && s.length() < width ? "0".repeat(width - s.length()) + s : s;
    }
}
