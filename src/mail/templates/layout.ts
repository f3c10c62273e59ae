// The frame every email shares: company name on top, the template's body in a
// white card, a footer saying who sent it and where to write.
export const LAYOUT_VARS = ['subject', 'preview', 'companyName', 'footer'] as const;

export function layout(body: string): string {
  return `<mjml>
  <mj-head>
    <mj-title>{{subject}}</mj-title>
    <mj-preview>{{preview}}</mj-preview>
    <mj-attributes>
      <mj-all font-family="Helvetica, Arial, sans-serif" />
      <mj-text font-size="15px" line-height="22px" color="#1f2933" />
      <mj-table font-size="14px" line-height="20px" color="#1f2933" />
      <mj-button background-color="#1d4ed8" color="#ffffff" font-size="15px" border-radius="4px" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f3f4f6">
    <mj-section padding="20px 0 8px">
      <mj-column><mj-text font-size="18px" font-weight="bold">{{companyName}}</mj-text></mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="12px 8px" border-radius="6px">
      <mj-column>
${body}
      </mj-column>
    </mj-section>
    <mj-section padding="8px 0 20px">
      <mj-column><mj-text font-size="12px" line-height="18px" color="#6b7280">{{footer}}</mj-text></mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
}
