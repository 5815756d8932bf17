#!/bin/sh
# embed.sh NAME FILE: FILE as a C string `const char NAME[]` and its length.
name=$1
file=$2
printf '/* generated from %s by scripts/embed.sh */\n#include <stddef.h>\n' "$file"
printf 'extern const char %s[];\nextern const size_t %s_len;\n' "$name" "$name"
printf 'const char %s[] =\n' "$name"
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/  "/' -e 's/$/\\n"/' "$file"
printf ';\nconst size_t %s_len = sizeof %s - 1;\n' "$name" "$name"
