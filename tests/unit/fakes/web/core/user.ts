// Fake of `@web/core/user`: tests set the groups the current user has.
export const userGroups = new Set<string>();

export const user = {
    userId: 7,
    name: "Test User",
    hasGroup(group: string): Promise<boolean> {
        return Promise.resolve(userGroups.has(group));
    },
};
