/*
 * xlsx_build.h — small XLSX workbooks written by the tests themselves with
 * libzip (test_xlsx.c, test_list.c): no binary file is committed.
 */
#ifndef PARCOURS_TEST_XLSX_BUILD_H
#define PARCOURS_TEST_XLSX_BUILD_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

/* A part of a workbook: its name in the archive and its bytes. */
struct xb_part {
	const char *name;
	const char *data;
	size_t len; /* 0: strlen(data) */
};

static const char xb_workbook[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	"<sheets><sheet name=\"Liste\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char xb_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/styles\" Target=\"styles.xml\"/></Relationships>";
/* Style 0: general; 1: built-in date (14); 2: custom "dd/mm/yyyy" (164). */
static const char xb_styles[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
	"<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/></numFmts>"
	"<cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
	"</cellXfs></styleSheet>";

/* Writes the parts into a new archive at path; 0 or -1. */
static int xb_write(const char *path, const struct xb_part *parts, size_t n)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);

	if (!z)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t len = parts[i].len ? parts[i].len : strlen(parts[i].data);
		zip_source_t *s = zip_source_buffer(z, parts[i].data, len, 0);
		if (!s || zip_file_add(z, parts[i].name, s, ZIP_FL_ENC_UTF_8) < 0) {
			zip_source_free(s);
			zip_discard(z);
			return -1;
		}
	}
	return zip_close(z) ? -1 : 0;
}

/* A workbook of one sheet (its <sheetData> content) and shared strings
 * (the <si> items), with the styles above. */
static int xb_simple(const char *path, const char *rows, const char *strings)
{
	char *sheet = malloc(strlen(rows) + 300), *sst = malloc(strlen(strings) + 300);
	int rc;

	snprintf(sheet, strlen(rows) + 300,
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas."
		 "openxmlformats.org/spreadsheetml/2006/main\"><sheetData>%s</sheetData></worksheet>",
		 rows);
	snprintf(sst, strlen(strings) + 300,
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas."
		 "openxmlformats.org/spreadsheetml/2006/main\">%s</sst>", strings);
	{
		const struct xb_part parts[] = {
			{ "xl/workbook.xml", xb_workbook, 0 },
			{ "xl/_rels/workbook.xml.rels", xb_rels, 0 },
			{ "xl/styles.xml", xb_styles, 0 },
			{ "xl/sharedStrings.xml", sst, 0 },
			{ "xl/worksheets/sheet1.xml", sheet, 0 },
		};
		rc = xb_write(path, parts, sizeof parts / sizeof *parts);
	}
	free(sheet);
	free(sst);
	return rc;
}

#endif
