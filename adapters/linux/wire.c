/* The answer side of the protocol: results, errno names, unsupported reasons,
 * and the typed fields of a request (bytes as lower-case hex, u64 values as
 * decimal strings). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "agent.h"

void logf_(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("vfio-tck-agent: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* A result built with json_pack, which gives NULL when memory ran out. */
void reply_ok(struct reply *r, json_t *result)
{
	if (result)
		r->result = result;
	else
		reply_errno(r, ENOMEM);
}

void reply_empty(struct reply *r)
{
	reply_ok(r, json_object());
}

void reply_errno(struct reply *r, int err)
{
	r->err = err > 0 ? err : EIO;
}

void reply_unsupported(struct reply *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->unsupported, sizeof(r->unsupported), fmt, ap);
	va_end(ap);
}

/* The C library's own table of errno names (glibc 2.32 and later). */
const char *errno_name(int err)
{
	const char *name = strerrorname_np(err);
	return name ? name : "EIO";
}

static json_t *field(json_t *req, const char *name, struct reply *r)
{
	json_t *value = json_object_get(req, name);
	if (!value) {
		logf("malformed request: no field %s", name);
		reply_errno(r, EINVAL);
	}
	return value;
}

bool field_int(json_t *req, const char *name, long long *out, struct reply *r)
{
	json_t *value = field(req, name, r);
	if (!value)
		return false;
	if (!json_is_integer(value)) {
		logf("malformed request: %s is not an integer", name);
		reply_errno(r, EINVAL);
		return false;
	}
	*out = json_integer_value(value);
	return true;
}

bool field_str(json_t *req, const char *name, const char **out, struct reply *r)
{
	json_t *value = field(req, name, r);
	if (!value)
		return false;
	if (!json_is_string(value)) {
		logf("malformed request: %s is not a string", name);
		reply_errno(r, EINVAL);
		return false;
	}
	*out = json_string_value(value);
	return true;
}

bool field_u64(json_t *req, const char *name, uint64_t *out, struct reply *r)
{
	const char *text;
	if (!field_str(req, name, &text, r))
		return false;
	char *end;
	errno = 0;
	unsigned long long value = strtoull(text, &end, 10);
	if (!*text || *end || errno || text[0] == '-' || text[0] == '+') {
		logf("malformed request: %s is not a u64 in decimal: %s", name, text);
		reply_errno(r, EINVAL);
		return false;
	}
	*out = value;
	return true;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool field_hex(json_t *req, const char *name, uint8_t **out, size_t *len, bool null_ok, struct reply *r)
{
	json_t *value = field(req, name, r);
	if (!value)
		return false;
	if (null_ok && json_is_null(value)) {
		*out = NULL;
		*len = 0;
		return true;
	}
	size_t chars = json_string_length(value);
	const char *text = json_string_value(value);
	if (!text || chars % 2) {
		logf("malformed request: %s is not hex bytes", name);
		reply_errno(r, EINVAL);
		return false;
	}
	uint8_t *bytes = malloc(chars / 2 + 1);
	if (!bytes) {
		reply_errno(r, ENOMEM);
		return false;
	}
	for (size_t i = 0; i < chars / 2; i++) {
		int hi = hex_digit(text[2 * i]), lo = hex_digit(text[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			free(bytes);
			logf("malformed request: %s is not lower-case hex", name);
			reply_errno(r, EINVAL);
			return false;
		}
		bytes[i] = (uint8_t)(hi << 4 | lo);
	}
	*out = bytes;
	*len = chars / 2;
	return true;
}

json_t *hex_string(const uint8_t *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char *text = malloc(2 * len + 1);
	if (!text)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		text[2 * i] = digits[data[i] >> 4];
		text[2 * i + 1] = digits[data[i] & 15];
	}
	json_t *value = json_stringn_nocheck(text, 2 * len);
	free(text);
	return value;
}

json_t *u64_string(uint64_t value)
{
	char text[24];
	snprintf(text, sizeof(text), "%llu", (unsigned long long)value);
	return json_string(text);
}
