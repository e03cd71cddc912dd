/** @odoo-module */
function errorMessage(error) {
  if (typeof error === "object" && error !== null) {
    const data = error.data;
    if (data && typeof data.message === "string" && data.message) {
      return data.message;
    }
    const message = error.message;
    if (typeof message === "string" && message) {
      return message;
    }
  }
  return String(error);
}
export {
  errorMessage
};
