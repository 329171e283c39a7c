// Line colours in the order series are drawn: Okabe–Ito (apart for the colour-blind), then two
// more so the ten loss terms of SCDR never share one.
const OKABE_ITO = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#8c6d31', '#7a7a7a', '#6a3d9a']

export const seriesColor = (index: number): string => OKABE_ITO[index % OKABE_ITO.length]!
