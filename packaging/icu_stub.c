/* An empty ICU common-data package, standing in for Qt's 32 MB libicudata in the bundle.
 *
 * Qt links ICU for a few things bodymap never uses (locale-aware collation with QCollator,
 * legacy text codecs, ICU time zones); its own locale data (CLDR) and Unicode tables are
 * compiled into QtCore. With this stub ICU finds no data and Qt takes its non-ICU paths.
 * Layout as ICU's own stubdata/stubdata.cpp: a data header and a table of contents with no
 * entries. ICUDT_SYMBOL (icudt<major>_dat) is defined by packaging/bodymap.spec on the
 * compiler's command line, after the version of the libicudata it replaces.
 */
#include <stdint.h>

typedef struct {
    uint16_t headerSize;
    uint8_t magic1, magic2;
} MappedData;

typedef struct {
    uint16_t size, reservedWord;
    uint8_t isBigEndian, charsetFamily, sizeofUChar, reservedByte;
    uint8_t dataFormat[4], formatVersion[4], dataVersion[4];
} UDataInfo;

typedef struct {
    MappedData dataHeader;
    UDataInfo info;
    char padding[8];
    uint32_t count, reserved;
    uint32_t toc[4];
} ICU_Data_Header;

__attribute__((visibility("default"))) const ICU_Data_Header ICUDT_SYMBOL = {
    {32, 0xda, 0x27},
    {sizeof(UDataInfo), 0, 0 /* little endian */, 0 /* ASCII family */, 2, 0,
     {0x43, 0x6d, 0x6e, 0x44} /* "CmnD" */, {1, 0, 0, 0}, {0, 0, 0, 0}},
    {0, 0, 0, 0, 0, 0, 0, 0},
    0,
    0,
    {0, 0, 0, 0},
};
